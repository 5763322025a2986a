/*
 * report.h - the human-readable report of a struct result.
 *
 * report_text(stdout, &r, opts): one line per test, the failures' details,
 * the total. Colour only when asked (callers pass isatty() && !NO_COLOR);
 * student mode ends with what to fix first.
 */
#ifndef HARNESS_REPORT_H
#define HARNESS_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "result.h"

void report_text(FILE *f, const struct result *r, bool color, bool student);

/* isatty(fd) and NO_COLOR unset. */
bool report_want_color(FILE *f);

#endif
