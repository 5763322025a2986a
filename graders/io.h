/*
 * io.h - the pieces of the `io` driver that other drivers build on.
 *
 * A driver that runs a program like `io` does (pipechain adds watching)
 * checks its parameters with io_check(), makes stdin with io_input(),
 * runs, then judges the run with io_verdict().
 */
#ifndef GRADERS_IO_H
#define GRADERS_IO_H

#include <jansson.h>
#include <stdbool.h>

#include "driver.h"
#include "run.h"

/* The test keys io understands (NULL-terminated). */
extern const char *const io_keys[];

int io_check(struct jcheck *c, json_t *t, const char *path);

/* Bytes as a reader should see them: control bytes spelled \xNN, valid
 * UTF-8. New string; caller frees; NULL when out of memory. */
char *io_visible(const char *s, size_t n);

/* stdin of test p: *in borrowed or *big (new, caller frees). 0/-ENOMEM. */
int io_input(json_t *p, const char **in, size_t *in_len, char **big);

/* The verdict on the student's run st: how it ended, then (running the
 * reference with o when needed) what it printed and its exit status.
 * Fills out; -errno only when the harness failed. */
int io_verdict(const struct grade_ctx *g, const struct test_spec *t,
               const struct run_opts *o, const struct sandbox_result *st,
               struct test_outcome *out);

/* Whether a test leaves stderr ungraded (compare.stderr "ignore"): it is
 * then chatter, not held against the output limit. */
bool io_stderr_ungraded(json_t *p);

#endif
