/*
 * io.h - the pieces of the `io` driver that other drivers build on.
 *
 * A driver that runs a program like `io` does (pipechain adds watching)
 * checks its parameters with io_check(), makes stdin with io_input(),
 * runs, then compares with io_judge() against io_run_reference()'s run.
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

/* stdin of test p: *in borrowed or *big (new, caller frees). 0/-ENOMEM. */
int io_input(json_t *p, const char **in, size_t *in_len, char **big);

/* Whether judging p needs the reference's run. */
bool io_needs_reference(json_t *p);

/* Run the reference with o (no tick hook); a failure of the reference is
 * TEST_ERROR in out. -errno only when the harness failed. */
int io_run_reference(const struct grade_ctx *g, const struct test_spec *t,
                     const struct run_opts *o, struct sandbox_result *ref,
                     struct test_outcome *out);

/* Compare the student's exited run with the reference's per p's
 * "compare"; sets out's status, message and diff. */
void io_judge(json_t *p, const struct sandbox_result *st,
              const struct sandbox_result *ref, struct test_outcome *out);

#endif
