/*
 * check_cli.c - `ipcgrade sandbox` as a user runs it: output, JSON report
 * and exit codes. Runs the binary named by IPCGRADE_BIN.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fsutil.h"

#include "suites.h"
#include "testutil.h"

struct cli_run {
	int code; /* exit code of ipcgrade */
	char out[65536];
	json_t *json; /* stdout parsed, when it is JSON */
};

/* Run `ipcgrade ARGS` through the shell with stderr folded into stdout
 * unless args redirect it themselves. */
static void cli(struct cli_run *r, const char *env, const char *args)
{
	const char *bin = getenv("IPCGRADE_BIN");
	char cmd[4096];
	size_t n;
	FILE *p;
	int st;

	ck_assert_msg(bin, "IPCGRADE_BIN is not set (run through make)");
	snprintf(cmd, sizeof(cmd), "%s %s %s", env ? env : "", bin, args);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	n = fread(r->out, 1, sizeof(r->out) - 1, p);
	r->out[n] = '\0';
	st = pclose(p);
	r->code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	r->json = json_loads(r->out, JSON_ALLOW_NUL, NULL);
}

static const char *prog(const char *name)
{
	static char path[1024];
	const char *dir = getenv("IPCGRADE_PROGS");

	ck_assert_msg(dir, "IPCGRADE_PROGS is not set (run through make)");
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

static const char *const tier_opt[] = { "--tier full", "--tier basic" };
static const enum sandbox_tier tiers[] = { TIER_FULL, TIER_BASIC };

START_TEST(test_cli_sandbox_echo_prints_and_reports_exit_0)
{
	struct cli_run r;
	char args[256];

	if (!test_tier_available(tiers[_i]))
		return;
	snprintf(args, sizeof(args), "sandbox %s -- /bin/echo hi 2>/dev/null",
	         tier_opt[_i]);
	cli(&r, NULL, args);
	ck_assert_int_eq(r.code, 0);
	ck_assert_str_eq(r.out, "hi\n");
	snprintf(args, sizeof(args),
	         "sandbox %s -- /bin/echo hi 2>&1 >/dev/null", tier_opt[_i]);
	cli(&r, NULL, args);
	ck_assert_msg(strstr(r.out, "exited: exited with status 0"), "%s",
	              r.out);
}
END_TEST

START_TEST(test_cli_sandbox_json_report)
{
	struct cli_run r;
	char args[256];

	if (!test_tier_available(tiers[_i]))
		return;
	snprintf(args, sizeof(args), "sandbox --json %s -- /bin/echo hi",
	         tier_opt[_i]);
	cli(&r, NULL, args);
	ck_assert_int_eq(r.code, 0);
	ck_assert_msg(r.json, "not JSON: %s", r.out);
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "schema")),
	                 "ipcgrade/sandbox/1");
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "status")),
	                 "exited");
	ck_assert_int_eq(
	    json_integer_value(json_object_get(r.json, "exit_code")), 0);
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "stdout")),
	                 "hi\n");
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "tier")),
	                 tiers[_i] == TIER_FULL ? "full" : "basic");
	json_decref(r.json);
}
END_TEST

/* The endings the sandbox command must name, with the JSON field that
 * says so. */
static const struct {
	const char *args; /* after --json --tier T, before the program */
	const char *status;
	const char *key, *value; /* extra field to check, or NULL */
} endings[] = {
	{ "--time 1 --", "timeout", "timeout", "cpu" },
	{ "--mem 64 --", "memory_limit", NULL, NULL },
	{ "--", "violation", "syscall", "ptrace" },
};
static const char *const endings_prog[] = { "spin", "mem-bomb", "ptrace-me" };

START_TEST(test_cli_sandbox_names_how_it_ended)
{
	int row = _i / 2;
	enum sandbox_tier t = tiers[_i % 2];
	struct cli_run r;
	char args[2048];
	const char *v;

	if (!test_tier_available(t))
		return;
	snprintf(args, sizeof(args), "sandbox --json %s %s %s",
	         tier_opt[_i % 2], endings[row].args, prog(endings_prog[row]));
	cli(&r, NULL, args);
	ck_assert_msg(r.code == 0 && r.json, "row %d [%s]: exit %d: %s", row,
	              tier_opt[_i % 2], r.code, r.out);
	v = json_string_value(json_object_get(r.json, "status"));
	ck_assert_msg(v && !strcmp(v, endings[row].status),
	              "row %d [%s]: status %s, want %s", row, tier_opt[_i % 2],
	              v, endings[row].status);
	if (endings[row].key &&
	    (strcmp(endings[row].key, "syscall") || probe_get()->user_notify)) {
		v = json_string_value(
		    json_object_get(r.json, endings[row].key));
		ck_assert_msg(v && !strcmp(v, endings[row].value),
		              "row %d [%s]: %s is %s, want %s", row,
		              tier_opt[_i % 2], endings[row].key, v,
		              endings[row].value);
	}
	/* CPU time does not depend on the machine's load: the run was
	 * stopped soon after its second of CPU. */
	if (!strcmp(endings[row].status, "timeout"))
		ck_assert_double_lt(
		    json_real_value(json_object_get(r.json, "cpu_seconds")),
		    1.5);
	json_decref(r.json);
}
END_TEST

START_TEST(test_cli_sandbox_violation_without_user_notification)
{
	struct cli_run r;
	char args[2048];
	const char *v;

	if (!test_tier_available(TIER_BASIC))
		return;
	snprintf(args, sizeof(args), "sandbox --json --tier basic -- %s",
	         prog("ptrace-me"));
	cli(&r, "IPCGRADE_DISABLE=notify", args);
	ck_assert_msg(r.code == 0 && r.json, "%s", r.out);
	v = json_string_value(json_object_get(r.json, "status"));
	ck_assert_str_eq(v, "violation");
	ck_assert_int_eq(json_integer_value(json_object_get(r.json, "signal")),
	                 31);
	ck_assert_ptr_nonnull(
	    strstr(json_string_value(json_object_get(r.json, "message")),
	           "forbidden system call"));
	json_decref(r.json);
}
END_TEST

static const struct {
	const char *env;
	const char *args;
	int code;
	const char *says;
} exits[] = {
	{ NULL, "sandbox", 2, "no command" },
	{ NULL, "sandbox --tier nope -- /bin/true", 2, "unknown tier" },
	{ NULL, "sandbox --time abc -- /bin/true", 2, "not a positive" },
	{ NULL, "sandbox --policy nope -- /bin/true", 2, "no seccomp policy" },
	{ NULL, "sandbox --policy list", 0, "ipc-nosock" },
	{ NULL, "nope", 2, "unknown command" },
	{ NULL, "--help", 0, "sandbox" },
	{ NULL, "sandbox --help", 0, "--isolation full" },
	{ "IPCGRADE_DISABLE=namespaces",
	  "sandbox --isolation full -- /bin/true", 4, "isolation unavailable" },
	{ "IPCGRADE_DISABLE=namespaces", "sandbox -- /bin/true", 0,
	  "tier basic" },
	/* grade and check, on the engine's own test assignment */
	{ "IPCGRADE_HOME=tests/fixtures", "list", 0, "upper " },
	{ "IPCGRADE_HOME=tests/fixtures",
	  "grade upper tests/fixtures/assignments/upper/examples/wrong-exit "
	  "--format text",
	  0, "exit status 0, expected 3" },
	{ "IPCGRADE_HOME=tests/fixtures",
	  "grade upper tests/fixtures/assignments/upper/examples/wrong-exit "
	  "--fail-under 5 -o /dev/null",
	  1, "" },
	{ "IPCGRADE_HOME=tests/fixtures",
	  "check upper tests/fixtures/assignments/upper/examples/wrong-exit", 0,
	  "fix first: exit-code" },
	{ "IPCGRADE_HOME=tests/fixtures",
	  "grade upper tests/fixtures/assignments/upper/examples/correct "
	  "--test nope",
	  2, "has no test 'nope'" },
	{ "IPCGRADE_HOME=tests/fixtures", "grade nope .", 3,
	  "no assignment 'nope'" },
	{ NULL, "grade tests/fixtures/broken/bad-json .", 3,
	  "assignment.json:3:1: " },
};

START_TEST(test_cli_exit_codes)
{
	struct cli_run r;
	char args[512];

	snprintf(args, sizeof(args), "%s 2>&1", exits[_i].args);
	cli(&r, exits[_i].env, args);
	ck_assert_msg(r.code == exits[_i].code, "row %d (%s): exit %d, want %d",
	              _i, exits[_i].args, r.code, exits[_i].code);
	ck_assert_msg(strstr(r.out, exits[_i].says),
	              "row %d (%s): output lacks '%s': %s", _i, exits[_i].args,
	              exits[_i].says, r.out);
	json_decref(r.json);
}
END_TEST

START_TEST(test_cli_json_stays_valid_with_hostile_bytes)
{
	struct cli_run r;
	const char *s;

	if (!test_tier_available(tiers[_i]))
		return;
	cli(&r, NULL,
	    _i == 0 ? "sandbox --json --tier full -- /usr/bin/printf "
	              "'a\\377\\000b\\033[31m\\001'"
	            : "sandbox --json --tier basic -- /usr/bin/printf "
	              "'a\\377\\000b\\033[31m\\001'");
	ck_assert_msg(r.json, "not JSON: %s", r.out);
	s = json_string_value(json_object_get(r.json, "stdout"));
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(json_string_length(json_object_get(r.json, "stdout")),
	                 12);
	ck_assert_int_eq(memcmp(s, "a\xef\xbf\xbd\0b\x1b[31m\x01", 12), 0);
	json_decref(r.json);
}
END_TEST

/* Whatever bytes a submission prints, the result stays valid JSON (and
 * valid UTF-8), and the text report carries no raw escape sequence. */
START_TEST(test_cli_grade_output_safe_with_hostile_bytes)
{
	struct cli_run r;

	cli(&r, "IPCGRADE_HOME=tests/fixtures",
	    "grade upper tests/fixtures/assignments/upper/examples/garbage");
	ck_assert_int_eq(r.code, 0);
	ck_assert_msg(r.json, "not JSON: %.300s", r.out);
	ck_assert_str_eq(json_string_value(json_object_get(r.json, "schema")),
	                 "ipcgrade/result/1");
	ck_assert_double_eq(json_number_value(json_object_get(r.json, "score")),
	                    2);
	json_decref(r.json);
	cli(&r, "IPCGRADE_HOME=tests/fixtures",
	    "grade upper tests/fixtures/assignments/upper/examples/garbage "
	    "--format text");
	ck_assert_int_eq(r.code, 0);
	ck_assert_ptr_null(strchr(r.out, '\033'));
	ck_assert_ptr_nonnull(strstr(r.out, "\\x1b[2J"));
	json_decref(r.json);
}
END_TEST

/* The seed of a grading is in its result, and --seed gives it back: the
 * re-run line of a failed test names it; two gradings without one draw
 * different seeds; a seed that is no number is a usage error. */
START_TEST(test_cli_grade_seed_is_recorded_and_reused)
{
	const char *sub = "grade upper tests/fixtures/assignments/upper/"
	                  "examples/wrong-exit";
	char args[512];
	struct cli_run r, again;
	const char *seed;

	cli(&r, "IPCGRADE_HOME=tests/fixtures", sub);
	ck_assert_ptr_nonnull(r.json);
	seed = json_string_value(
	    json_object_get(json_object_get(r.json, "harness"), "seed"));
	ck_assert_ptr_nonnull(seed);
	cli(&again, "IPCGRADE_HOME=tests/fixtures", sub);
	ck_assert_ptr_nonnull(again.json);
	ck_assert_str_ne(seed,
	                 json_string_value(json_object_get(
	                     json_object_get(again.json, "harness"), "seed")));
	json_decref(again.json);
	snprintf(args, sizeof(args), "%s --seed %s", sub, seed);
	cli(&again, "IPCGRADE_HOME=tests/fixtures", args);
	ck_assert_ptr_nonnull(again.json);
	ck_assert_str_eq(seed,
	                 json_string_value(json_object_get(
	                     json_object_get(again.json, "harness"), "seed")));
	ck_assert_msg(strstr(again.out, "--seed "), "%s", again.out);
	json_decref(again.json);
	json_decref(r.json);
	cli(&r, "IPCGRADE_HOME=tests/fixtures", "grade upper . --seed x 2>&1");
	ck_assert_int_eq(r.code, 2);
	ck_assert_msg(strstr(r.out, "--seed takes a number"), "%s", r.out);
}
END_TEST

/* A grading stopped by SIGTERM (or Ctrl-C) ends at once with exit 130,
 * says so, and leaves none of its folders. */
START_TEST(test_cli_grade_interrupted_leaves_nothing)
{
	const char *bin = getenv("IPCGRADE_BIN");
	char *tmp = NULL, env[600];
	int status, tries;
	pid_t pid;

	ck_assert_msg(bin, "IPCGRADE_BIN is not set (run through make)");
	ck_assert_int_eq(fs_make_tempdir("check-interrupt", &tmp), 0);
	snprintf(env, sizeof(env), "TMPDIR=%s", tmp);
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		dup2(null, 2);
		putenv(env);
		setenv("IPCGRADE_HOME", "tests/fixtures", 1);
		execl(bin, bin, "grade", "upper",
		      "tests/fixtures/assignments/upper/examples/hang",
		      (char *)NULL);
		_exit(127);
	}
	ck_assert_int_gt(pid, 0);
	/* Readiness: the grading's own folder, with a test's in it. */
	for (tries = 0; tries < 1000; tries++) {
		char cmd[700];
		snprintf(cmd, sizeof(cmd),
		         "ls -d %s/ipcgrade-run-*/ipcgrade-grading-*/"
		         "ipcgrade-test-* >/dev/null 2>&1",
		         tmp);
		if (system(cmd) == 0)
			break;
		usleep(10000);
	}
	ck_assert_msg(tries < 1000, "the grading never started a test");
	kill(pid, SIGTERM);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 130,
	              "status 0x%x", status);
	ck_assert_msg(rmdir(tmp) == 0, "%s is not empty: %s", tmp,
	              strerror(errno));
	free(tmp);
}
END_TEST

static const char *hash_of(json_t *result, const char *what)
{
	return json_string_value(
	    json_object_get(json_object_get(result, "hashes"), what));
}

static bool well_formed(const char *h)
{
	if (!h || strncmp(h, "sha256:", 7) || strlen(h) != 7 + 64)
		return false;
	for (const char *c = h + 7; *c; c++)
		if (!strchr("0123456789abcdef", *c))
			return false;
	return true;
}

/* A result names what produced it: the harness build, the assignment, the
 * submission, by content. The same three and the same seed give the same
 * verdicts; one byte more in the submission changes its hash alone. */
START_TEST(test_cli_grade_records_what_produced_it)
{
	const char *sub =
	    "tests/fixtures/assignments/upper/examples/wrong-exit";
	static const char *const what[] = { "harness", "assignment",
		                            "submission" };
	struct cli_run r, again;
	char args[1024], cmd[1200], *dir;
	json_t *t1, *t2;

	snprintf(args, sizeof(args), "grade upper %s --seed 7", sub);
	cli(&r, "IPCGRADE_HOME=tests/fixtures", args);
	cli(&again, "IPCGRADE_HOME=tests/fixtures", args);
	ck_assert_ptr_nonnull(r.json);
	ck_assert_ptr_nonnull(again.json);
	for (int i = 0; i < 3; i++) {
		ck_assert_msg(well_formed(hash_of(r.json, what[i])),
		              "%s hash: %s", what[i],
		              hash_of(r.json, what[i])
		                  ? hash_of(r.json, what[i])
		                  : "(none)");
		ck_assert_str_eq(hash_of(r.json, what[i]),
		                 hash_of(again.json, what[i]));
	}
	t1 = json_object_get(r.json, "tests");
	t2 = json_object_get(again.json, "tests");
	ck_assert_uint_eq(json_array_size(t1), json_array_size(t2));
	for (size_t i = 0; i < json_array_size(t1); i++)
		ck_assert_str_eq(json_string_value(json_object_get(
		                     json_array_get(t1, i), "status")),
		                 json_string_value(json_object_get(
		                     json_array_get(t2, i), "status")));
	json_decref(again.json);

	ck_assert_int_eq(fs_make_tempdir("check-hash", &dir), 0);
	snprintf(
	    cmd, sizeof(cmd),
	    "cp %s/upper.c %s/ && echo '/* one more line */' >> %s/upper.c",
	    sub, dir, dir);
	ck_assert_int_eq(system(cmd), 0);
	snprintf(args, sizeof(args), "grade upper %s --seed 7", dir);
	cli(&again, "IPCGRADE_HOME=tests/fixtures", args);
	ck_assert_ptr_nonnull(again.json);
	ck_assert_str_ne(hash_of(r.json, "submission"),
	                 hash_of(again.json, "submission"));
	ck_assert_str_eq(hash_of(r.json, "assignment"),
	                 hash_of(again.json, "assignment"));
	ck_assert_str_eq(hash_of(r.json, "harness"),
	                 hash_of(again.json, "harness"));
	json_decref(again.json);
	json_decref(r.json);
	ck_assert_int_eq(fs_remove_tree(dir), 0);
	free(dir);
}
END_TEST

Suite *cli_suite(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("sandbox");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_cli_sandbox_echo_prints_and_reports_exit_0,
	                    0, 2);
	tcase_add_loop_test(tc, test_cli_sandbox_json_report, 0, 2);
	tcase_add_loop_test(tc, test_cli_sandbox_names_how_it_ended, 0,
	                    2 * ARRAY_SIZE(endings));
	tcase_add_test(tc,
	               test_cli_sandbox_violation_without_user_notification);
	tcase_add_loop_test(tc, test_cli_exit_codes, 0, ARRAY_SIZE(exits));
	tcase_add_test(tc, test_cli_grade_seed_is_recorded_and_reused);
	tcase_add_test(tc, test_cli_grade_records_what_produced_it);
	tcase_add_test(tc, test_cli_grade_interrupted_leaves_nothing);
	tcase_add_test(tc, test_cli_grade_output_safe_with_hostile_bytes);
	tcase_add_loop_test(tc, test_cli_json_stays_valid_with_hostile_bytes, 0,
	                    2);
	suite_add_tcase(s, tc);
	return s;
}
