/*
 * jsonpos.h - where in a JSON text a value sits, for path:line:col errors.
 *
 * jansson keeps no positions once parsed; jsonpos_find(text, "tests[2].points",
 * &line, &col) scans the (already valid) text again and returns the line and
 * column of that member's key, or of that array element. 1-based.
 */
#ifndef HARNESS_JSONPOS_H
#define HARNESS_JSONPOS_H

#include <stdbool.h>

bool jsonpos_find(const char *text, const char *path, int *line, int *col);

#endif
