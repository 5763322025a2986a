/*
 * result.h - the graded result of one submission, and its native JSON.
 *
 * The engine fills a struct result (tests in assignment order); writers in
 * report_*.c read it. result_to_json() makes the contract's object
 * ("ipcgrade/result/1"); every string in it is valid UTF-8.
 */
#ifndef HARNESS_RESULT_H
#define HARNESS_RESULT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum test_status {
	TEST_PASSED,
	TEST_FAILED,
	TEST_TIMEOUT,
	TEST_CRASHED,
	TEST_VIOLATION,
	TEST_ERROR, /* the harness failed: never the student's fault */
	TEST_SKIPPED,
};

enum visibility {
	VIS_VISIBLE,
	VIS_HIDDEN,
	VIS_AFTER_DUE_DATE,
	VIS_AFTER_PUBLISHED,
};

struct test_outcome {
	const char *id, *name; /* borrowed from the assignment */
	enum visibility visibility;
	enum test_status status;
	double score, max_score;
	char *message; /* one line; owned */
	char *output;  /* diagnosis, diff, reproduce command; owned */
	double seconds;
};

enum result_status {
	RESULT_GRADED,
	RESULT_BUILD_FAILED,
	RESULT_ERROR,
};

struct result {
	const char *assignment;
	char *submission; /* owned: the folder's name */
	enum result_status status;
	double score, max_score;
	bool build_ok;
	double build_seconds;
	char *build_log; /* owned */
	struct test_outcome *tests;
	size_t ntests;
	const char *tier;
	char layers[160];
	double seconds;
	uint64_t seed; /* the tests' data came from this */
	/* What produced the score (provenance.h); empty when unknown. */
	char harness_hash[72], assignment_hash[72], submission_hash[72];
	char *error; /* RESULT_ERROR: why; owned */
};

const char *test_status_name(enum test_status s);
const char *visibility_name(enum visibility v);
/* -1 for an unknown name. */
int visibility_parse(const char *s);

/* Set a test's message/output (printf-style); replaces what was there
 * (the arguments may use the old text). */
void test_outcome_message(struct test_outcome *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void test_outcome_output(struct test_outcome *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* New reference to the native JSON; NULL on allocation failure. */
json_t *result_to_json(const struct result *r);
void result_release(struct result *r);

/* A JSON string of n arbitrary bytes (invalid UTF-8 replaced). New ref. */
json_t *json_bytes(const char *s, size_t n);

#endif
