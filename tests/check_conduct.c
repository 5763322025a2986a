/*
 * check_conduct.c - the conduct probe, which runs several programs in one
 * sandbox: pacing of input and output, the report, what was left in
 * /dev/shm, and that a program of the run can neither reach the copies of
 * the programs nor change the report. Every row runs in both tiers.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assignment.h"
#include "conduct.h"
#include "suites.h"
#include "testutil.h"

static const enum sandbox_tier tiers[] = { TIER_FULL, TIER_BASIC };

/* Run plan in tier t; fails the test when the harness fails. */
static void run_plan(enum sandbox_tier t, struct conduct_plan *plan,
                     struct conduct_report *rep, struct sandbox_result *res)
{
	struct assignment a = { .policy = "ipc" };
	struct grade_ctx g = { .a = &a, .tier = t };
	struct test_spec ts = { .id = "conduct" };
	struct conduct_opts o = { 0 };

	ts.limits =
	    (struct sandbox_limits){ .cpu_seconds = 5, .wall_seconds = 10 };
	ck_assert_int_eq(conduct_run(&g, &ts, plan, &o, rep, res), 0);
	ck_assert_msg(rep->complete, "no complete report: %s / %s",
	              res->message, res->err.data ? res->err.data : "");
}

static const char *progs(void)
{
	const char *p = getenv("IPCGRADE_PROGS");

	ck_assert_msg(p, "IPCGRADE_PROGS is not set (run through make)");
	return p;
}

START_TEST(test_conduct_paces_input)
{
	enum sandbox_tier t = tiers[_i];
	const char *argv[] = { "cat", NULL };
	struct conduct_plan plan;
	struct conduct_report rep;
	struct sandbox_result res;
	const struct conduct_proc *p;
	const struct conduct_data *o;

	if (!test_tier_available(t))
		return;
	plan_init(&plan);
	plan_program(&plan, "cat", "/usr/bin/cat", PLAN_STUDENT);
	plan_blob(&plan, "b", "hello, world", 12);
	plan_proc(&plan, "P", "cat", argv);
	plan_line(&plan, "in P blob b chunk 4 every 60");
	plan_line(&plan, "out P keep 100");
	plan_line(&plan, "start P");
	plan_line(&plan, "waitall");
	run_plan(t, &plan, &rep, &res);
	p = conduct_proc(&rep, "P");
	o = conduct_out(&rep, "P");
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(o);
	ck_assert(!p->signaled && p->code == 0);
	ck_assert_int_eq(o->len, 12);
	ck_assert_mem_eq(o->data, "hello, world", 12);
	/* three chunks, 60 ms apart: the last one is fed 120 ms in */
	ck_assert_msg(p->end_ms - p->start_ms >= 115, "ran %.1f ms",
	              p->end_ms - p->start_ms);
	conduct_release(&rep);
	sandbox_result_release(&res);
	plan_release(&plan);
}
END_TEST

/* Output not read for 300 ms: a writer of more than a pipe's worth
 * cannot finish before. */
START_TEST(test_conduct_stalls_output)
{
	enum sandbox_tier t = tiers[_i];
	const char *argv[] = { "cat", NULL };
	struct conduct_plan plan;
	struct conduct_report rep;
	struct sandbox_result res;
	const struct conduct_proc *p;
	const struct conduct_data *o;
	size_t n = 256 << 10;
	char *data = malloc(n);

	if (!test_tier_available(t))
		return;
	ck_assert_ptr_nonnull(data);
	for (size_t i = 0; i < n; i++)
		data[i] = (char)(i * 7 + (i >> 9));
	plan_init(&plan);
	plan_program(&plan, "cat", "/usr/bin/cat", PLAN_STUDENT);
	plan_blob(&plan, "b", data, n);
	plan_proc(&plan, "P", "cat", argv);
	plan_line(&plan, "in P blob b");
	plan_line(&plan, "out P keep %zu stall 300", n);
	plan_line(&plan, "start P");
	plan_line(&plan, "waitall");
	run_plan(t, &plan, &rep, &res);
	p = conduct_proc(&rep, "P");
	o = conduct_out(&rep, "P");
	ck_assert(p && o && p->code == 0);
	ck_assert_int_eq(o->len, n);
	ck_assert_mem_eq(o->data, data, n);
	ck_assert_msg(p->end_ms - p->start_ms >= 295, "ran %.1f ms",
	              p->end_ms - p->start_ms);
	conduct_release(&rep);
	sandbox_result_release(&res);
	plan_release(&plan);
	free(data);
}
END_TEST

/* A program of the run cannot see the copies of the programs, forge
 * report lines through its output, or reach the conductor through /proc;
 * and what it leaves in /dev/shm is reported. */
START_TEST(test_conduct_report_cannot_be_forged)
{
	enum sandbox_tier t = tiers[_i];
	const char *fargv[] = { "forge", NULL };
	const char *sargv[] = { "sh", "-c",
		                "test -e .bin && echo present || echo gone; "
		                "echo x > /dev/shm/conduct-leftover",
		                NULL };
	struct conduct_plan plan;
	struct conduct_report rep;
	struct sandbox_result res;
	const struct conduct_data *o, *s;
	char path[4200];

	if (!test_tier_available(t))
		return;
	snprintf(path, sizeof(path), "%s/forge", progs());
	plan_init(&plan);
	plan_program(&plan, "forge", path, PLAN_STUDENT);
	plan_program(&plan, "sh", "/usr/bin/dash", PLAN_STUDENT);
	plan_proc(&plan, "F", "forge", fargv);
	plan_proc(&plan, "S", "sh", sargv);
	plan_line(&plan, "out F keep 4096");
	plan_line(&plan, "out S keep 4096");
	plan_line(&plan, "start F");
	plan_line(&plan, "wait F");
	plan_line(&plan, "start S");
	plan_line(&plan, "waitall");
	run_plan(t, &plan, &rep, &res);
	ck_assert_int_eq(rep.nprocs, 2);
	ck_assert_ptr_null(conduct_proc(&rep, "FORGED"));
	o = conduct_out(&rep, "F");
	ck_assert_ptr_nonnull(o);
	ck_assert_msg(strstr(o->data, "parent stdout: ") &&
	                  !strstr(o->data, "parent stdout: wrote") &&
	                  !strstr(o->data, "parent memory: opened"),
	              "forge got through: %s", o->data);
	s = conduct_out(&rep, "S");
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s->data, "gone\n");
	ck_assert_uint_eq(rep.nresidue, 1);
	ck_assert_msg(strstr(rep.residue[0], "/dev/shm/conduct-leftover"), "%s",
	              rep.residue[0]);
	conduct_release(&rep);
	sandbox_result_release(&res);
	plan_release(&plan);
}
END_TEST

/*
 * A student program cannot reach the reference program beside it, the
 * conductor or the keeper: no /proc/PID/{fd,mem,maps,environ,exe}, no
 * signal. The reference's copy is execute-only (non-dumpable when run),
 * and the student runs in a Landlock domain of its own.
 */
START_TEST(test_conduct_student_cannot_reach_others)
{
	enum sandbox_tier t = tiers[_i];
	const char *rargv[] = { "sleep", "1", NULL };
	const char *sargv[] = { "reach", NULL };
	bool scoped = probe_get()->landlock_abi >= 6;
	struct conduct_plan plan;
	struct conduct_report rep;
	struct sandbox_result res;
	const struct conduct_data *o;
	char path[4200];

	if (!test_tier_available(t))
		return;
	snprintf(path, sizeof(path), "%s/reach", progs());
	plan_init(&plan);
	plan_program(&plan, "ref", "/usr/bin/sleep", PLAN_REFERENCE);
	plan_program(&plan, "reach", path, PLAN_STUDENT);
	plan_proc(&plan, "R", "ref", rargv);
	plan_proc(&plan, "S", "reach", sargv);
	plan_line(&plan, "out S keep 65536");
	plan_line(&plan, "start R");
	plan_line(&plan, "start S");
	plan_line(&plan, "waitall");
	run_plan(t, &plan, &rep, &res);
	o = conduct_out(&rep, "S");
	ck_assert_ptr_nonnull(o);
	ck_assert_msg(strstr(o->data, "looked at"), "%s", o->data);
	ck_assert_msg(rep.confined || probe_get()->landlock_abi == 0,
	              "the student ran unconfined though Landlock is here");
	/* Without Landlock scoping (ABI < 6) signals stay the uid's. */
	for (char *l = strstr(o->data, "REACHED"); l;
	     l = strstr(l + 1, "REACHED")) {
		const char *what = strchr(l, ':');
		bool signal_only = what && !strncmp(what, ": may signal", 12);
		ck_assert_msg(!scoped && signal_only,
		              "[%s] a student reached another process: %s",
		              probe_tier_name(t), o->data);
	}
	conduct_release(&rep);
	sandbox_result_release(&res);
	plan_release(&plan);
}
END_TEST

Suite *conduct_suite(void)
{
	Suite *s = suite_create("conduct");
	TCase *tc = tcase_create("conduct");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_conduct_paces_input, 0, 2);
	tcase_add_loop_test(tc, test_conduct_stalls_output, 0, 2);
	tcase_add_loop_test(tc, test_conduct_report_cannot_be_forged, 0, 2);
	tcase_add_loop_test(tc, test_conduct_student_cannot_reach_others, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}
