/*
 * check_examples.c - every assignment's tests proven both ways.
 *
 * For each assignments/NAME with an examples/ folder: the reference gets
 * full marks, and every example gets exactly the verdicts its
 * expected.json declares, in both tiers. Also: each test of the
 * assignment fails for at least one example (a test nothing fails cannot
 * tell a good submission from a bad one).
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
#include "grade.h"
#include "suites.h"
#include "testutil.h"

#define HOME "assignments"

struct row {
	char assignment[256];
	char example[256]; /* "" for the reference */
};

static struct row rows[256];
static int nrows;

static const enum sandbox_tier tiers[] = { TIER_FULL, TIER_BASIC };

static void collect(void)
{
	struct dirent **as, **ex;
	int na, ne;

	nrows = 0;
	na = scandir(HOME, &as, NULL, alphasort);
	for (int i = 0; i < na; i++) {
		char dir[512];
		if (as[i]->d_name[0] != '.' && as[i]->d_name[0] != '_') {
			snprintf(dir, sizeof(dir), HOME "/%s/examples",
			         as[i]->d_name);
			ne = scandir(dir, &ex, NULL, alphasort);
			if (ne > 0 && nrows < 256) {
				snprintf(rows[nrows].assignment, 256, "%s",
				         as[i]->d_name);
				rows[nrows++].example[0] = '\0';
			}
			for (int j = 0; j < ne; j++) {
				if (ex[j]->d_name[0] != '.' && nrows < 256) {
					snprintf(rows[nrows].assignment, 256,
					         "%s", as[i]->d_name);
					snprintf(rows[nrows++].example, 256,
					         "%s", ex[j]->d_name);
				}
				free(ex[j]);
			}
			if (ne >= 0)
				free(ex);
		}
		free(as[i]);
	}
	if (na >= 0)
		free(as);
}

/* Whatever the submission did, no object of this grading is left in the
 * host's /dev/shm (the shmring driver names its objects after the pid of
 * the grading process, so a concurrent grading cannot confuse this). */
static void check_nothing_left(const char *assignment, const char *name,
                               enum sandbox_tier t)
{
	char prefix[64];
	DIR *d = opendir("/dev/shm");
	struct dirent *e;

	snprintf(prefix, sizeof(prefix), "ipcgrade-ring-%d-", getpid());
	while (d && (e = readdir(d)))
		ck_assert_msg(strncmp(e->d_name, prefix, strlen(prefix)),
		              "%s/%s [%s]: /dev/shm/%s was left behind",
		              assignment, name, probe_tier_name(t), e->d_name);
	if (d)
		closedir(d);
}

START_TEST(test_example_gets_declared_verdicts)
{
	const struct row *row = &rows[_i / 2];
	enum sandbox_tier t = tiers[_i % 2];
	static const char *const st[] = { "graded", "build_failed", "error" };
	struct grade_options o = { .tier = t };
	struct jcheck jc = { 0 };
	struct assignment a;
	struct result r;
	char adir[256], dir[512], exp[600];
	json_t *want = NULL, *wt = NULL;
	const char *name = row->example[0] ? row->example : "(reference)";

	if (!test_tier_available(t) || !test_in_part(_i))
		return;
	snprintf(adir, sizeof(adir), HOME "/%s", row->assignment);
	ck_assert_msg(assignment_load(adir, &a, &jc) == 0, "%s", jc.msg);
	if (row->example[0]) {
		snprintf(dir, sizeof(dir), "%s/examples/%s", adir,
		         row->example);
		snprintf(exp, sizeof(exp), "%s/expected.json", dir);
		want = json_load_file(exp, 0, NULL);
		ck_assert_msg(want, "%s: cannot read %s", row->assignment, exp);
		wt = json_object_get(want, "tests");
	} else {
		snprintf(dir, sizeof(dir), "%s", a.reference_dir);
	}
	ck_assert_int_eq(grade_run(&a, dir, &o, &r), 0);
	check_nothing_left(row->assignment, name, t);
	if (!row->example[0]) {
		ck_assert_msg(r.status == RESULT_GRADED &&
		                  r.score == r.max_score,
		              "%s reference [%s]: %g of %g", row->assignment,
		              probe_tier_name(t), r.score, r.max_score);
	} else {
		const char *ws =
		    json_string_value(json_object_get(want, "status"));
		ck_assert_msg(!strcmp(ws ? ws : "graded", st[r.status]),
		              "%s/%s [%s]: result %s, declared %s",
		              row->assignment, name, probe_tier_name(t),
		              st[r.status], ws ? ws : "graded");
		for (size_t i = 0; i < r.ntests; i++) {
			const char *v = json_string_value(
			    json_object_get(wt, r.tests[i].id));
			ck_assert_msg(
			    v &&
			        !strcmp(v, test_status_name(r.tests[i].status)),
			    "%s/%s [%s]: %s is %s (%s), declared %s",
			    row->assignment, name, probe_tier_name(t),
			    r.tests[i].id, test_status_name(r.tests[i].status),
			    r.tests[i].message ? r.tests[i].message : "",
			    v ? v : "nothing");
		}
	}
	result_release(&r);
	assignment_release(&a);
	json_decref(want);
}
END_TEST

/* Every test is failed by some example: otherwise it proves nothing. */
START_TEST(test_every_test_fails_for_some_example)
{
	const struct row *row = &rows[_i];
	struct jcheck jc = { 0 };
	struct assignment a;
	char adir[256];

	if (row->example[0])
		return; /* once per assignment: its reference row */
	snprintf(adir, sizeof(adir), HOME "/%s", row->assignment);
	ck_assert_msg(assignment_load(adir, &a, &jc) == 0, "%s", jc.msg);
	for (size_t i = 0; i < a.ntests; i++) {
		bool failed = false;
		for (int k = 0; k < nrows && !failed; k++) {
			char exp[600];
			json_t *want;
			const char *v;
			if (strcmp(rows[k].assignment, row->assignment) ||
			    !rows[k].example[0])
				continue;
			snprintf(exp, sizeof(exp),
			         "%s/examples/%s/expected.json", adir,
			         rows[k].example);
			want = json_load_file(exp, 0, NULL);
			v = json_string_value(json_object_get(
			    json_object_get(want, "tests"), a.tests[i].id));
			failed = v && strcmp(v, "passed");
			json_decref(want);
		}
		ck_assert_msg(failed, "%s: no example fails test '%s'", a.name,
		              a.tests[i].id);
	}
	assignment_release(&a);
}
END_TEST

Suite *examples_suite(void)
{
	Suite *s = suite_create("examples");
	TCase *tc = tcase_create("examples");

	collect();
	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, test_example_gets_declared_verdicts, 0,
	                    2 * nrows);
	tcase_add_loop_test(tc, test_every_test_fails_for_some_example, 0,
	                    nrows);
	suite_add_tcase(s, tc);
	return s;
}
