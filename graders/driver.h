/*
 * driver.h - one kind of check; the engine calls it for each test.
 *
 * A driver is a const struct in drivers.c's table. check() validates a
 * test's parameters when the assignment loads (errors via jcheck, so they
 * carry path:line:col); run() grades one test and fills the test_result.
 * run() returns -errno only when the harness failed (the test is "error").
 */
#ifndef GRADERS_DRIVER_H
#define GRADERS_DRIVER_H

#include <stdint.h>

#include "assignment.h"
#include "result.h"
#include "sandbox.h"

/* What a driver gets to run one test. */
struct grade_ctx {
	const struct assignment *a;
	const char *student_bin;   /* built student program, absolute */
	const char *reference_bin; /* built reference program */
	const char *student_dir;   /* folders holding every built program */
	const char *reference_dir;
	enum sandbox_tier tier;
	const char *const *hide; /* paths the student may not see */
	const char *submission;  /* the folder as given */
	uint64_t seed;           /* the grading's (grade_options.seed) */
};

/* The seed of one test's data: the grading's, mixed with the test's id,
 * so that no test's data looks like another's, nor like the last
 * grading's. */
static inline uint64_t test_seed(const struct grade_ctx *g, const char *id)
{
	uint64_t x = g->seed ^ 0x9e3779b97f4a7c15ULL;

	for (const char *s = id; *s; s++)
		x = (x ^ (unsigned char)*s) * 0x100000001b3ULL;
	x ^= x >> 31;
	return x ? x : 1;
}

struct driver {
	const char *kind;
	const char *const *keys; /* allowed keys of a test besides the
	                            common ones */
	int (*check)(struct jcheck *c, json_t *test, const char *path);
	int (*run)(const struct grade_ctx *g, const struct test_spec *t,
	           struct test_outcome *out);
};

/* The driver of that kind, or NULL. */
const struct driver *driver_find(const char *kind);

/* Names of every driver, for messages: "io, ..." (static). */
const char *driver_names(void);

#endif
