/*
 * assignment.h - load assignments/NAME/assignment.json into a struct.
 *
 * assignment_load(dir, &a, &jc) reads and validates strictly (unknown keys
 * and wrong types are errors, jc.msg says "path:line:col: ..."), including
 * each test's driver parameters; then read a, and assignment_release(&a).
 */
#ifndef HARNESS_ASSIGNMENT_H
#define HARNESS_ASSIGNMENT_H

#include <jansson.h>
#include <stdbool.h>

#include "jcheck.h"
#include "result.h"
#include "sandbox.h"

struct driver;

struct test_spec {
	const char *id, *name; /* borrowed from root */
	double points;
	enum visibility visibility;
	const struct driver *driver;
	json_t *params; /* the test object, for its driver */
	struct sandbox_limits limits;
	char path[32]; /* "tests[N]", for messages */
};

#define BUILD_MAX_PROGRAMS 8

/* One program the build makes; without a Makefile it is compiled from
 * sources (a JSON array of file names; NULL: every .c file). */
struct build_program {
	const char *name;
	json_t *sources;
};

struct build_spec {
	json_t *required; /* file names the submission must hold */
	json_t *supply;   /* files of the assignment folder copied over the
	                     submission's before building, or NULL */
	const char *cflags, *ldlibs;
	struct build_program programs[BUILD_MAX_PROGRAMS];
	size_t nprograms;  /* "output" gives one, "programs" several */
	bool use_makefile; /* run make when the submission has one */
	double seconds;    /* CPU limit of the build */
};

struct assignment {
	char *dir;  /* assignments/NAME */
	char *file; /* .../assignment.json */
	char *text; /* its contents */
	json_t *root;
	const char *name, *title, *policy;
	char *reference_dir; /* reference/NAME, absolute */
	struct build_spec build;
	struct sandbox_limits limits;
	struct test_spec *tests;
	size_t ntests;
	double max_score;
};

/* Returns 0, -ENOENT (no assignment.json; jc->msg says where it looked),
 * -EINVAL (invalid; jc->msg has path:line:col) or -errno. */
int assignment_load(const char *dir, struct assignment *a, struct jcheck *jc);
void assignment_release(struct assignment *a);

/* The test with that id, or NULL. */
const struct test_spec *assignment_test(const struct assignment *a,
                                        const char *id);

#endif
