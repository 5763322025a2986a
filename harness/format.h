/*
 * format.h - write a struct result in each format a grading platform reads.
 *
 * format_lookup("gradescope") finds a writer (NULL: unknown name, see
 * format_names()); format_write(fmt, f, &r, &opts) writes it to f. Each
 * writer lives in its own format_NAME.c and escapes untrusted text itself.
 */
#ifndef HARNESS_FORMAT_H
#define HARNESS_FORMAT_H

#include <stdbool.h>
#include <stdio.h>

#include "result.h"

struct format_options {
	bool color;   /* text: ANSI colour */
	bool student; /* text: student mode ("fix first") */
	/* github: files to append the step summary and the step output
	 * (result=BASE64) to; NULL writes them on f after the log. */
	const char *gh_summary, *gh_output;
};

struct format {
	const char *name;
	const char *summary;
	/* 0, or -errno when writing failed. */
	int (*write)(FILE *f, const struct result *r,
	             const struct format_options *o);
};

const struct format *format_lookup(const char *name);

/* "json, text, gradescope, ...": the names, for usage messages. */
const char *format_names(void);

int format_write(const struct format *fmt, FILE *f, const struct result *r,
                 const struct format_options *o);

/* Whether a platform that shows everything to students may show this
 * test's message and output (visible tests only). */
bool format_shows_details(const struct test_outcome *t);

/* Write j indented, ASCII-only, and a newline; takes the reference.
 * 0, -ENOMEM when j is NULL, or -EIO. */
int format_dump(FILE *f, json_t *j);

/* The writers, one per file. */
int format_json(FILE *f, const struct result *r,
                const struct format_options *o);
int format_text(FILE *f, const struct result *r,
                const struct format_options *o);
int format_gradescope(FILE *f, const struct result *r,
                      const struct format_options *o);
int format_prairielearn(FILE *f, const struct result *r,
                        const struct format_options *o);
int format_autolab(FILE *f, const struct result *r,
                   const struct format_options *o);
int format_github(FILE *f, const struct result *r,
                  const struct format_options *o);
int format_junit(FILE *f, const struct result *r,
                 const struct format_options *o);
int format_tap(FILE *f, const struct result *r, const struct format_options *o);

#endif
