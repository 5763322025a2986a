/*
 * hostile_fixture.h - what the hostile suites share: small limits, a
 * fresh work dir per run (struct fixture), running a hostile program in a
 * tier, and checking that nothing of its uid is left afterwards. Failures
 * are collected in a struct verdict and asserted once the run is cleaned up.
 */
#ifndef TESTS_HOSTILE_FIXTURE_H
#define TESTS_HOSTILE_FIXTURE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "sandbox.h"

/* Both tiers, full first. */
extern const enum sandbox_tier hostile_tiers[2];

/* Small, so that every attack meets its limit quickly. */
extern const struct sandbox_limits small_limits;

/* The small limits with every non-zero field of *over applied. */
struct sandbox_limits limits_with(const struct sandbox_limits *over);

/*
 * Failures of one row are collected, not asserted at once: a Check
 * assertion ends the test, and the clean-up after it (processes, files,
 * the work dir) must still happen or the next row inherits the mess.
 */
struct verdict {
	char msg[3072];
};

__attribute__((format(printf, 2, 3))) void verdict_add(struct verdict *v,
                                                       const char *fmt, ...);

/* How a run ended, with the start of what the program said about it. */
const char *describe(const struct sandbox_result *res, char *buf, size_t len);

/* $IPCGRADE_HOSTILE (build/hostile), absolute; a program's path in it. */
const char *hostile_dir(void);
void hostile_path(const char *name, bool is_static, char *buf, size_t len);

/*** Fixtures: what some programs attack from outside the sandbox ***/

struct fixture {
	enum sandbox_tier tier;
	char *parent; /* root-owned temp dir holding the work dir */
	char workdir[PATH_MAX];
	char env[6][PATH_MAX + 64];
	const char *envp[7];
	const char *hide[3];
	int nenv, nhide;
	int listen_fd;
	const struct sandbox_result *res; /* set before the checks */
	char secret_dir[PATH_MAX];
	char harness[PATH_MAX];
	char program[PATH_MAX];
};

void fixture_env(struct fixture *f, const char *key, const char *val);
/* A fresh work dir (given to the run's uid by the sandbox), and the
 * environment every program gets: HOSTILE_TIER. */
int fixture_init(struct fixture *f, enum sandbox_tier tier,
                 const char *program);
void fixture_release(struct fixture *f);

/* Run f->program (with one optional argument) in f's tier and work dir.
 * Returns sandbox_run()'s value; release *res afterwards. */
int hostile_run(struct fixture *f, const char *arg,
                const struct sandbox_limits *over, int slot,
                struct sandbox_result *res);
/* Run /bin/true in tier and slot (-1: any), retrying a busy slot. */
int run_true(enum sandbox_tier tier, int slot, struct sandbox_result *res);
/* Nothing of uid may be left, and the next run must start clean. */
void check_aftermath(enum sandbox_tier tier, uid_t uid, struct verdict *v);

/* The suite's tests that need more than one run (check_hostile_runs.c). */
#include <check.h>
TCase *hostile_two_runs_tcase(void);

#endif
