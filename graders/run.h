/*
 * run.h - run the student's or the reference's program for one test.
 *
 * run_program(g, t, who, args, in, in_len, files, &res) makes a fresh work
 * folder holding the test's files, runs the program there in the sandbox
 * under the test's limits and the assignment's policy, and removes the
 * folder. Release res with sandbox_result_release(). 0 or -errno.
 */
#ifndef GRADERS_RUN_H
#define GRADERS_RUN_H

#include <jansson.h>

#include "driver.h"

enum run_who {
	RUN_STUDENT,
	RUN_REFERENCE,
};

int run_program(const struct grade_ctx *g, const struct test_spec *t,
                enum run_who who, json_t *args, const char *in, size_t in_len,
                json_t *files, struct sandbox_result *res);

/* The test status a sandbox ending maps to, for the student's run:
 * passed means "it ran and exited" (output still to be compared). */
enum test_status run_status(const struct sandbox_result *res);

#endif
