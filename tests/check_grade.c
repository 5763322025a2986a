/*
 * check_grade.c - the engine graded against known verdicts, and strict
 * loading of assignment.json.
 *
 * Every folder under tests/fixtures/assignments/upper/examples holds a
 * submission and expected.json (the result status and each test's
 * verdict); each is graded in both tiers and must get exactly those. The
 * reference must get full marks. Broken assignment files must be refused
 * with path:line:col.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "assignment.h"
#include "fsutil.h"
#include "grade.h"
#include "suites.h"
#include "testutil.h"

#define FIXTURES "tests/fixtures"
#define UPPER    FIXTURES "/assignments/upper"

static const enum sandbox_tier tiers[] = { TIER_FULL, TIER_BASIC };
static const char *const examples[] = {
	"correct",  "wrong-output",   "wrong-exit",   "crash",   "hang",
	"no-build", "forbidden-call", "missing-file", "garbage",
};

static void grade_dir(enum sandbox_tier t, const char *dir, struct result *r)
{
	struct assignment a;
	struct jcheck jc = { 0 };
	struct grade_options o = { .tier = t };

	ck_assert_msg(assignment_load(UPPER, &a, &jc) == 0, "%s", jc.msg);
	ck_assert_int_eq(grade_run(&a, dir, &o, r), 0);
	/* The result borrows names from the assignment: keep the JSON. */
	json_t *j = result_to_json(r);
	ck_assert_ptr_nonnull(j);
	json_decref(j);
	assignment_release(&a);
}

START_TEST(test_grade_example_gets_declared_verdicts)
{
	const char *ex = examples[_i / 2];
	enum sandbox_tier t = tiers[_i % 2];
	static const char *const st[] = { "graded", "build_failed", "error" };
	struct assignment a;
	struct jcheck jc = { 0 };
	struct grade_options o = { .tier = t };
	struct result r;
	char dir[512], exp[600];
	json_t *want, *wt;

	if (!test_tier_available(t))
		return;
	snprintf(dir, sizeof(dir), UPPER "/examples/%s", ex);
	snprintf(exp, sizeof(exp), "%s/expected.json", dir);
	want = json_load_file(exp, 0, NULL);
	ck_assert_msg(want, "cannot read %s", exp);
	wt = json_object_get(want, "tests");
	ck_assert_msg(assignment_load(UPPER, &a, &jc) == 0, "%s", jc.msg);
	ck_assert_int_eq(grade_run(&a, dir, &o, &r), 0);
	ck_assert_msg(
	    !strcmp(st[r.status],
	            json_string_value(json_object_get(want, "status"))),
	    "%s [%s]: result %s", ex, probe_tier_name(t), st[r.status]);
	ck_assert_uint_eq(r.ntests, json_object_size(wt));
	for (size_t i = 0; i < r.ntests; i++) {
		const char *v =
		    json_string_value(json_object_get(wt, r.tests[i].id));
		ck_assert_msg(
		    v && !strcmp(v, test_status_name(r.tests[i].status)),
		    "%s [%s]: %s is %s (%s), declared %s", ex,
		    probe_tier_name(t), r.tests[i].id,
		    test_status_name(r.tests[i].status),
		    r.tests[i].message ? r.tests[i].message : "",
		    v ? v : "nothing");
		/* A failed test says how to re-run just it. */
		if (r.tests[i].status != TEST_PASSED &&
		    r.status == RESULT_GRADED)
			ck_assert_ptr_nonnull(
			    strstr(r.tests[i].output, "--test"));
	}
	result_release(&r);
	assignment_release(&a);
	json_decref(want);
}
END_TEST

START_TEST(test_grade_reference_gets_full_marks)
{
	struct result r;

	if (!test_tier_available(tiers[_i]))
		return;
	grade_dir(tiers[_i], FIXTURES "/reference/upper", &r);
	ck_assert_int_eq(r.status, RESULT_GRADED);
	ck_assert_msg(r.score == r.max_score && r.max_score == 5,
	              "[%s] reference scored %g of %g",
	              probe_tier_name(tiers[_i]), r.score, r.max_score);
	result_release(&r);
}
END_TEST

START_TEST(test_grade_only_visible_in_student_mode)
{
	struct assignment a;
	struct jcheck jc = { 0 };
	struct grade_options o = { .tier = TIER_AUTO, .visible_only = true };
	struct result r;

	ck_assert_msg(assignment_load(UPPER, &a, &jc) == 0, "%s", jc.msg);
	ck_assert_int_eq(grade_run(&a, UPPER "/examples/correct", &o, &r), 0);
	ck_assert_uint_eq(r.ntests, 3); /* "big" is hidden */
	for (size_t i = 0; i < r.ntests; i++)
		ck_assert_str_ne(r.tests[i].id, "big");
	result_release(&r);
	assignment_release(&a);
}
END_TEST

/* Broken assignment files: each must be refused at the right place. */
static const struct {
	const char *json;
	const char *where; /* "LINE:COL: " expected after the file name */
	const char *says;
} broken[] = {
	{ "{\"name\": \"b\",\n \"tests\": [}", "2:12", "" },
	{ "{\"name\": \"b\", \"build\": {\"output\": \"x\"},\n"
	  " \"tets\": []}",
	  "2:2", "unknown key 'tets'" },
	{ "{\"name\": \"b\", \"build\": {\"output\": \"x\"}, \"tests\": [\n"
	  "  {\"id\": \"a\", \"name\": \"A\", \"driver\": \"io\",\n"
	  "   \"points\": \"3\"}]}",
	  "3:4", "tests[0].points: must be a number" },
	{ "{\"name\": \"b\", \"build\": {\"output\": \"x\"}, \"tests\": [\n"
	  "  {\"id\": \"a\", \"name\": \"A\", \"driver\": \"nope\", "
	  "\"points\": 1}]}",
	  "2:28", "unknown driver 'nope'" },
	{ "{\"name\": \"b\", \"build\": {\"output\": \"x\"}, \"tests\": [\n"
	  "  {\"id\": \"a\", \"name\": \"A\", \"driver\": \"io\", \"points\": "
	  "1},\n"
	  "  {\"id\": \"a\", \"name\": \"B\", \"driver\": \"io\", \"points\": "
	  "1}]}",
	  "3:4", "'a' is also the id of tests[0]" },
	{ "{\"name\": \"b\", \"build\": {\"output\": \"x\"}, \"tests\": [\n"
	  "  {\"id\": \"a\", \"name\": \"A\", \"driver\": \"io\", \"points\": "
	  "1,\n"
	  "   \"visibility\": \"secret\"}]}",
	  "3:4", "'secret' is not one of" },
	{ "{\"name\": \"b\", \"build\": {\"output\": \"x\"}, \"tests\": [\n"
	  "  {\"id\": \"a\", \"name\": \"A\", \"driver\": \"io\", \"points\": "
	  "1,\n"
	  "   \"compare\": {\"stdout\": \"fuzzy\"}}]}",
	  "3:16", "'fuzzy' is not exact" },
	{ "{\"name\": \"other\", \"build\": {\"output\": \"x\"}, \"tests\": "
	  "[]}",
	  "1:2", "differs from the folder's name 'b'" },
	{ "{\"name\": \"b\", \"build\": {\"output\": \"x\"}, \"tests\": [\n"
	  "  {\"id\": \"a\", \"name\": \"A\", \"driver\": \"io\", \"points\": "
	  "1,\n"
	  "   \"limits\": {\"cpu_seconds\": -1}}]}",
	  "3:15", "must be between" },
	{ "{\"name\": \"b\", \"build\": {\"output\": \"x\",\n"
	  " \"programs\": {\"p\": [\"p.c\"]}}, \"tests\": []}",
	  "2:2", "give either \"output\" or \"programs\"" },
	{ "{\"name\": \"b\", \"build\": {\n"
	  " \"programs\": {\"p\": []}}, \"tests\": []}",
	  "2:15", "build.programs.p: names no source file" },
	{ "{\"name\": \"b\", \"build\": {\"output\": \"x\",\n"
	  " \"supply\": [\"../../etc/passwd\"]}, \"tests\": []}",
	  "2:13", "build.supply[0]: must be a path inside" },
	{ "{\"name\": \"b\", \"build\": {\"output\": \"x\",\n"
	  " \"supply\": [\"starter/ring.h\"]}, \"tests\": []}",
	  "2:13", "no such file" },
	{ "{\"name\": \"b\", \"build\": {\"output\": \"x\"}, \"tests\": [\n"
	  "  {\"id\": \"a\", \"name\": \"A\", \"driver\": \"shmring\", "
	  "\"points\": 1,\n"
	  "   \"producer\": \"student\", \"consumer\": \"teacher\",\n"
	  "   \"input\": {\"text\": \"x\"}}]}",
	  "3:27", "consumer: must be \"student\" or \"reference\"" },
	{ "{\"name\": \"b\", \"build\": {\"output\": \"x\"}, \"tests\": [\n"
	  "  {\"id\": \"a\", \"name\": \"A\", \"driver\": \"shmring\", "
	  "\"points\": 1,\n"
	  "   \"producer\": \"student\", \"consumer\": \"student\",\n"
	  "   \"input\": {\"text\": \"x\"}, \"init_delay_ms\": 100}]}",
	  "2:3", "init_delay_ms needs the reference producer" },
	/* trace scripts: each step is checked where it is written */
	{ "{\"name\": \"b\", \"build\": {\"output\": \"x\"}, \"tests\": [\n"
	  "  {\"id\": \"a\", \"name\": \"A\", \"driver\": \"trace\", "
	  "\"points\": 1}]}",
	  "2:3", "a trace test needs \"script\"" },
	{ "{\"name\": \"b\", \"build\": {\"output\": \"x\"}, \"tests\": [\n"
	  "  {\"id\": \"a\", \"name\": \"A\", \"driver\": \"trace\", "
	  "\"points\": 1,\n"
	  "   \"script\": [\"expect /^ready$/\",\n"
	  "     \"kill USR3\"]}]}",
	  "4:6", "script[1]: kill takes a signal name" },
	{ "{\"name\": \"b\", \"build\": {\"output\": \"x\"}, \"tests\": [\n"
	  "  {\"id\": \"a\", \"name\": \"A\", \"driver\": \"trace\", "
	  "\"points\": 1,\n"
	  "   \"script\": [\"expect /(unclosed/\"]}]}",
	  "3:15", "bad pattern" },
	{ "{\"name\": \"b\", \"build\": {\"output\": \"x\"}, \"tests\": [\n"
	  "  {\"id\": \"a\", \"name\": \"A\", \"driver\": \"trace\", "
	  "\"points\": 1,\n"
	  "   \"script\": [\"expect /x/ within soon\"]}]}",
	  "3:15", "\"within\" takes a number" },
	{ "{\"name\": \"b\", \"build\": {\"output\": \"x\"}, \"tests\": [\n"
	  "  {\"id\": \"a\", \"name\": \"A\", \"driver\": \"trace\", "
	  "\"points\": 1,\n"
	  "   \"script\": [{\"repeat\": 3, \"do\": [\"launch USR1\"]}]}]}",
	  "3:36", "script[0].do[0]: unknown step" },
	{ "{\"name\": \"b\", \"build\": {\"output\": \"x\"}, \"tests\": [\n"
	  "  {\"id\": \"a\", \"name\": \"A\", \"driver\": \"trace\", "
	  "\"points\": 1,\n"
	  "   \"script\": [{\"any_order\": [\"kill USR1\"]}]}]}",
	  "3:30", "any_order holds plain expect" },
	{ "{\"name\": \"b\", \"build\": {\"output\": \"x\"}, \"tests\": [\n"
	  "  {\"id\": \"a\", \"name\": \"A\", \"driver\": \"trace\", "
	  "\"points\": 1,\n"
	  "   \"script\": [\"write \\\"no end\"]}]}",
	  "3:15", "no closing \"" },
	{ "{\"name\": \"b\", \"build\": {\"output\": \"x\"}, \"tests\": [\n"
	  "  {\"id\": \"a\", \"name\": \"A\", \"driver\": \"trace\", "
	  "\"points\": 1,\n"
	  "   \"script\": [{\"repeat\": 5000, \"do\": [\"kill USR1\", "
	  "\"kill USR2\"]}]}]}",
	  "3:39", "more than 8192 steps" },
	{ "{\"name\": \"b\", \"build\": {\"output\": \"x\"}, \"tests\": [\n"
	  "  {\"id\": \"a\", \"name\": \"A\", \"driver\": \"echo\", "
	  "\"points\": 1,\n"
	  "   \"check\": \"pingpong\"}]}",
	  "3:4", "no check 'pingpong'" },
	{ "{\"name\": \"b\", \"build\": {\"output\": \"x\"}, \"tests\": [\n"
	  "  {\"id\": \"a\", \"name\": \"A\", \"driver\": \"echo\", "
	  "\"points\": 1,\n"
	  "   \"check\": \"many\", \"clients\": 500}]}",
	  "3:21", "must be between 1 and 64" },
	{ "{\"name\": \"b\", \"build\": {\"output\": \"x\"}, \"tests\": [\n"
	  "  {\"id\": \"a\", \"name\": \"A\", \"driver\": \"echo\", "
	  "\"points\": 1,\n"
	  "   \"check\": \"stdio\", \"client\": \"teacher\"}]}",
	  "3:22", "client: must be \"student\" or \"reference\"" },
	{ "{\"name\": \"b\", \"build\": {\"output\": \"x\"}, \"tests\": [\n"
	  "  {\"id\": \"a\", \"name\": \"A\", \"driver\": \"echo\", "
	  "\"points\": 1,\n"
	  "   \"check\": \"stdio\", \"small_buffer\": true}]}",
	  "3:22", "unknown key 'small_buffer'" },
};

/* The driver reads rings through its own copy of the contract's ring.h;
 * the students' starter and the reference must hold the very same file. */
START_TEST(test_shmring_layout_is_the_contract)
{
	static const char *const copies[] = {
		"assignments/shmring/starter/ring.h",
		"reference/shmring/ring.h",
	};
	char *mine = NULL, *other = NULL;
	size_t ml = 0, ol = 0;

	ck_assert_int_eq(
	    fs_read_beneath("graders", "shmring_ring.h", 1 << 20, &mine, &ml),
	    0);
	for (size_t i = 0; i < ARRAY_SIZE(copies); i++) {
		ck_assert_int_eq(
		    fs_read_beneath(".", copies[i], 1 << 20, &other, &ol), 0);
		ck_assert_msg(ml == ol && !memcmp(mine, other, ml),
		              "%s differs from graders/shmring_ring.h",
		              copies[i]);
		free(other);
	}
	free(mine);
}
END_TEST

START_TEST(test_assignment_load_refuses_broken_file)
{
	char *dir, path[600], want[700];
	struct assignment a;
	struct jcheck jc = { 0 };
	FILE *f;

	ck_assert_int_eq(fs_make_tempdir("check-broken", &dir), 0);
	snprintf(path, sizeof(path), "%s/b", dir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/b/assignment.json", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(broken[_i].json, f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/b", dir);
	ck_assert_int_eq(assignment_load(path, &a, &jc), -EINVAL);
	snprintf(want, sizeof(want), "assignment.json:%s: ", broken[_i].where);
	ck_assert_msg(strstr(jc.msg, want) && strstr(jc.msg, broken[_i].says),
	              "row %d: '%s' lacks '%s' or '%s'", _i, jc.msg, want,
	              broken[_i].says);
	assignment_release(&a);
	fs_remove_tree(dir);
	free(dir);
}
END_TEST

Suite *grade_suite(void)
{
	Suite *s = suite_create("grade");
	TCase *tc = tcase_create("examples");
	TCase *ld = tcase_create("load");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_grade_example_gets_declared_verdicts, 0,
	                    2 * ARRAY_SIZE(examples));
	tcase_add_loop_test(tc, test_grade_reference_gets_full_marks, 0, 2);
	tcase_add_test(tc, test_grade_only_visible_in_student_mode);
	suite_add_tcase(s, tc);
	tcase_add_test(ld, test_shmring_layout_is_the_contract);
	tcase_add_loop_test(ld, test_assignment_load_refuses_broken_file, 0,
	                    ARRAY_SIZE(broken));
	suite_add_tcase(s, ld);
	return s;
}
