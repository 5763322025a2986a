/*
 * run.h - run the student's or the reference's program for one test.
 *
 * run_program(g, t, who, &opts, &res) makes a fresh work folder holding
 * the test's files (and the probe programs when asked), runs the program
 * there in the sandbox under the test's limits and the assignment's policy,
 * and removes the folder. Release res with sandbox_result_release().
 */
#ifndef GRADERS_RUN_H
#define GRADERS_RUN_H

#include <jansson.h>

#include "driver.h"

enum run_who {
	RUN_STUDENT,
	RUN_REFERENCE,
};

struct run_opts {
	json_t *args;   /* strings after the program, or NULL */
	const char *in; /* stdin bytes, or NULL */
	size_t in_len;
	json_t *files; /* {name: text} put in the folder, or NULL */
	bool probes;   /* the harness's probe programs on PATH */
	int (*tick)(void *arg, const struct sandbox_tick *t);
	void *tick_arg;
	double tick_seconds; /* 0: the sandbox's default */
	/* The tick of io's reference run (a test's reference runs without
	 * the student's tick): NULL for none. */
	int (*ref_tick)(void *arg, const struct sandbox_tick *t);
	void *ref_tick_arg;
	/* Run this program (a path) instead of the student's or the
	 * reference's, e.g. a probe that runs both. */
	const char *program;
	/* Called with the run's folder before the run (0 or -errno) and
	 * after it, before the folder goes. */
	int (*prepare)(void *arg, const char *dir);
	void (*finish)(void *arg, const char *dir);
	void *hook_arg;
	size_t output_bytes;            /* 0: the test's limit */
	const char *const *net_sysctls; /* see struct sandbox_config */
	bool witness, probe_listens;    /* see struct sandbox_config */
	bool stderr_chatter;            /* see struct sandbox_config */
	bool linger;                    /* see struct sandbox_config */
};

/* 0 or -errno (the harness failed). */
int run_program(const struct grade_ctx *g, const struct test_spec *t,
                enum run_who who, const struct run_opts *o,
                struct sandbox_result *res);

/* The folder holding the probe programs (next to the ipcgrade binary, or
 * PREFIX/lib/ipcgrade/probes); NULL when there is none. */
const char *run_probes_dir(void);

/* The test status a sandbox ending maps to, for the student's run:
 * passed means "it ran and exited" (output still to be compared). */
enum test_status run_status(const struct sandbox_result *res);

#endif
