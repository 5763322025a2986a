/*
 * check_trace.c - the trace driver's script language, each step proven
 * both ways on small shell programs, and its report: a program cannot
 * pass a step by printing report lines, nor by killing the runner.
 * (The signal steps are proven by the sigd examples.) Both tiers.
 */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assignment.h"
#include "driver.h"
#include "suites.h"
#include "testutil.h"

static const enum sandbox_tier tiers[] = { TIER_FULL, TIER_BASIC };

/* Grade one trace test: program with the JSON args and script. */
static void trace(enum sandbox_tier t, const char *program, const char *json,
                  struct test_outcome *out)
{
	struct assignment a = { .policy = "ipc" };
	struct grade_ctx g = { .a = &a, .tier = t, .student_bin = program };
	struct test_spec ts = { .id = "trace" };
	const struct driver *d = driver_find("trace");
	struct jcheck jc = { .file = "test", .text = json };
	json_error_t e;

	memset(out, 0, sizeof(*out));
	ts.params = json_loads(json, 0, &e);
	ck_assert_msg(ts.params, "%s: %s", json, e.text);
	ck_assert_ptr_nonnull(d);
	ck_assert_msg(d->check(&jc, ts.params, "t") == 0, "%s", jc.msg);
	ts.limits =
	    (struct sandbox_limits){ .cpu_seconds = 5, .wall_seconds = 10 };
	ck_assert_int_eq(d->run(&g, &ts, out), 0);
	json_decref(ts.params);
}

static const struct {
	const char *json;
	bool passes;
	const char *says; /* in the message when it fails */
} rows[] = {
	{ "{\"args\": [\"-c\", \"echo one; echo two; exit 3\"], \"script\": "
	  "[\"expect /^one$/\", \"expect /^two$/\", \"exit 3\"]}",
	  true, NULL },
	{ "{\"args\": [\"-c\", \"echo one; echo two; exit 3\"], \"script\": "
	  "[\"expect /^one$/\", \"expect /^two$/\", \"exit 4\"]}",
	  false,
	  "step 3 `exit 4`: the program exited with status 3, not with "
	  "status 4" },
	{ "{\"args\": [\"-c\", \"echo one; echo two\"], \"script\": "
	  "[\"expect /^two$/\"]}",
	  false, "expected a line matching /^two$/, got \"one\"" },
	{ "{\"args\": [\"-c\", \"echo one; echo two\"], \"script\": "
	  "[\"await /^two$/\"]}",
	  true, NULL },
	{ "{\"args\": [\"-c\", \"echo b; echo a\"], \"script\": "
	  "[{\"any_order\": [\"expect /^a$/\", \"expect /^b$/\"]}]}",
	  true, NULL },
	{ "{\"args\": [\"-c\", \"echo b; echo c\"], \"script\": "
	  "[{\"any_order\": [\"expect /^a$/\", \"expect /^b$/\"]}]}",
	  false, "got \"c\", which is none of the 1 lines still expected" },
	{ "{\"args\": [\"-c\", \"echo x1; echo main; echo x2\"], \"script\": "
	  "[\"defer /^x/\", \"expect /^main$/\", {\"any_order\": "
	  "[{\"repeat\": 2, \"do\": [\"expect /^x{i}$/\"]}]}]}",
	  true, NULL },
	{ "{\"args\": [\"-c\", \"echo id 42; echo is 42\"], \"script\": "
	  "[\"expect /^id ([0-9]+)$/ as n\", \"expect /^is {n}$/\"]}",
	  true, NULL },
	{ "{\"args\": [\"-c\", \"echo id 42; echo is 43\"], \"script\": "
	  "[\"expect /^id ([0-9]+)$/ as n\", \"expect /^is {n}$/\"]}",
	  false, "got \"is 43\"" },
	{ "{\"args\": [\"-c\", \"echo n 1; echo n 2; echo n 3; echo end 3\"], "
	  "\"script\": [\"count /^n ([0-9]+)$/ until /^end ([0-9]+)$/ min "
	  "3\"]}",
	  true, NULL },
	{ "{\"args\": [\"-c\", \"echo n 1; echo n 2; echo n 4; echo end 4\"], "
	  "\"script\": [\"count /^n ([0-9]+)$/ until /^end ([0-9]+)$/\"]}",
	  false, "\"n 4\" where 3 was due: a number was skipped" },
	{ "{\"args\": [\"-c\", \"echo n 1; echo end 1\"], \"script\": "
	  "[\"count /^n ([0-9]+)$/ until /^end ([0-9]+)$/ min 2\"]}",
	  false, "only 1 numbered lines came back (at least 2 expected)" },
	{ "{\"args\": [\"-c\", \"read a; echo got $a\"], \"script\": "
	  "[\"write \\\"hi there\\\\n\\\"\", \"expect /^got hi there$/\"]}",
	  true, NULL },
	{ "{\"args\": [\"-c\", \"echo on stderr >&2\"], \"script\": "
	  "[\"await /^on stderr$/ on either\"]}",
	  true, NULL },
	{ "{\"args\": [\"-c\", \"echo on stderr >&2\"], \"script\": "
	  "[\"await /^on stderr$/ within 500\"]}",
	  false, "before a line matching /^on stderr$/ came" },
	{ "{\"args\": [\"-c\", \"sleep 5\"], \"script\": "
	  "[\"expect /^x$/ within 300\"]}",
	  false,
	  "within 300 ms: the program has not called write() at all, "
	  "and waits in" },
	/* Written, but elsewhere: no word about buffering. */
	{ "{\"args\": [\"-c\", \"echo hi > f; sleep 5\"], \"script\": "
	  "[\"expect /^x$/ within 300\"]}",
	  false, "within 300 ms, and nothing came on stdout or stderr" },
	{ "{\"args\": [\"-c\", \"sleep 5\"], \"script\": "
	  "[\"idle 300\", \"alive\", \"kill TERM\", \"exit 0 within 1000\"]}",
	  false, "the program was killed by SIGTERM, not with status 0" },
	{ "{\"args\": [\"-c\", \"while :; do :; done\"], \"script\": "
	  "[\"idle 300 max 20%\"]}",
	  false, "while it had nothing to do (at most 20% allowed)" },
	{ "{\"args\": [\"-c\", \"sleep 0.05 & echo started; exit 0\"], "
	  "\"script\": [\"expect /^started$/\", \"exit 0\", \"no orphans\"]}",
	  false, "the program exited while a process it started" },
	{ "{\"args\": [\"-c\", \"sleep 0.05 & echo started; wait\"], "
	  "\"script\": [\"expect /^started$/\", \"exit 0\", \"no orphans\"]}",
	  true, NULL },
	/* the program's own "report" changes nothing */
	{ "{\"args\": [\"-c\", \"echo steps 1; echo end; "
	  "printf 'transcript 0 0\\\\nend\\\\n' >&2\"], \"script\": "
	  "[\"expect /^ok$/\"]}",
	  false, "expected a line matching /^ok$/, got \"steps 1\"" },
	/* nor does killing the runner: Landlock scoping (ABI 6) stops the
	 * signal; where the kernel lacks it the test still fails, cut short
	 * (the row after it says which one this host gives) */
	{ "{\"args\": [\"-c\", \"kill -9 $PPID; sleep 1\"], \"script\": "
	  "[\"expect /^ok$/\", \"exit 0\"]}",
	  false, "before a line matching /^ok$/ came" },
	/* a forbidden call made by the program is named, though the runner
	 * holds the listener */
	{ "{\"args\": [\"-c\", \"echo hi; unshare -U true; echo done\"], "
	  "\"script\": [\"expect /^hi$/\", \"expect /^never$/\"]}",
	  false, "called unshare(): not allowed" },
};

/* The row that kills the runner: without Landlock scoping it can. */
static const char *says(size_t i)
{
	if (strstr(rows[i].json, "kill -9 $PPID") &&
	    probe_get()->landlock_abi < 6)
		return "the script was cut short";
	return rows[i].says;
}

/* A program cannot reach the runner or the keeper: no /proc/PID/{fd,mem,
 * maps,environ,exe} of theirs, no signal (tests/progs/reach counts what it
 * reached; without Landlock scoping only signals may get through). */
START_TEST(test_trace_program_cannot_reach_runner)
{
	enum sandbox_tier t = tiers[_i];
	struct test_outcome out;
	char reach[4200], json[8600];
	const char *progs = getenv("IPCGRADE_PROGS");

	if (!test_tier_available(t))
		return;
	ck_assert_msg(realpath(progs ? progs : "build/progs", reach),
	              "no progs");
	strcat(reach, "/reach");
	snprintf(json, sizeof(json),
	         "{\"script\": [\"await /^looked at [0-9]+ processes, "
	         "reached 0 times$/ within 5000\", \"exit 0\"]}");
	if (probe_get()->landlock_abi < 6)
		return; /* the uid's signals then reach them: not asserted */
	trace(t, reach, json, &out);
	ck_assert_msg(out.status == TEST_PASSED, "[%s] %s\n%s",
	              probe_tier_name(t), out.message ? out.message : "",
	              out.output ? out.output : "");
	free(out.message);
	free(out.output);
}
END_TEST

START_TEST(test_trace_steps_both_ways)
{
	enum sandbox_tier t = tiers[_i / 2];
	struct test_outcome out;
	size_t half = sizeof(rows) / sizeof(*rows) / 2 + 1;
	size_t from = (size_t)(_i % 2) * half;

	if (!test_tier_available(t))
		return;
	for (size_t i = from;
	     i < from + half && i < sizeof(rows) / sizeof(*rows); i++) {
		trace(t, "/usr/bin/dash", rows[i].json, &out);
		if (rows[i].passes)
			ck_assert_msg(out.status == TEST_PASSED,
			              "row %zu [%s]: %s", i, probe_tier_name(t),
			              out.message ? out.message : "");
		else
			ck_assert_msg(
			    (out.status == TEST_FAILED ||
			     out.status == TEST_VIOLATION) &&
			        out.message && strstr(out.message, says(i)),
			    "row %zu [%s]: status %d, '%s' lacks '%s'", i,
			    probe_tier_name(t), out.status,
			    out.message ? out.message : "", says(i));
		free(out.message);
		free(out.output);
	}
}
END_TEST

Suite *trace_suite(void)
{
	Suite *s = suite_create("trace");
	TCase *tc = tcase_create("trace");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_trace_steps_both_ways, 0, 4);
	tcase_add_loop_test(tc, test_trace_program_cannot_reach_runner, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}
