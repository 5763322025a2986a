/*
 * check_bundle.c - `ipcgrade gradescope-bundle` end to end: the zip is
 * unpacked into a temporary folder laid out like Gradescope's /autograder,
 * setup.sh builds ipcgrade there, and run_autograder grades a submission
 * in the basic tier (as in a container) into results/results.json.
 */
#include <check.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "fsutil.h"
#include "suites.h"
#include "testutil.h"

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Run a shell command made like printf; its exit status. */
static int sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

START_TEST(test_bundle_grades_end_to_end)
{
	const char *bin = getenv("IPCGRADE_BIN");
	char *tmp, ag[600], zip[600], again[600], path[700];
	struct stat st;
	json_t *r, *a, *t;
	size_t i;
	double points = 0;

	ck_assert_msg(bin, "IPCGRADE_BIN is not set (run through make)");
	ck_assert_int_eq(fs_make_tempdir("check-bundle", &tmp), 0);
	chmod(tmp, 0755);
	snprintf(ag, sizeof(ag), "%s/autograder", tmp);
	snprintf(zip, sizeof(zip), "%s/autograder.zip", tmp);
	snprintf(again, sizeof(again), "%s/again.zip", tmp);

	ck_assert_int_eq(
	    sh("%s gradescope-bundle pipechain -o %s >/dev/null", bin, zip), 0);
	/* The same inputs make the same bytes. */
	ck_assert_int_eq(
	    sh("%s gradescope-bundle pipechain -o %s >/dev/null", bin, again),
	    0);
	ck_assert_int_eq(sh("cmp -s %s %s", zip, again), 0);
	/* Gradescope wants both scripts at the root, not in a folder. */
	ck_assert_int_eq(sh("unzip -tq %s >/dev/null && unzip -Z1 %s | "
	                    "grep -qx setup.sh",
	                    zip, zip),
	                 0);
	ck_assert_int_eq(
	    sh("unzip -Z1 %s | grep -qx run_autograder%s", zip, ""), 0);

	/* What Gradescope does: unzip into source/, copy run_autograder,
	 * run setup.sh once, then run_autograder per submission. */
	ck_assert_int_eq(sh("mkdir -p %s/source %s/submission", ag, ag), 0);
	ck_assert_int_eq(sh("unzip -q %s -d %s/source", zip, ag), 0);
	ck_assert_int_eq(
	    sh("cp %s/source/run_autograder %s/run_autograder", ag, ag), 0);
	ck_assert_int_eq(sh("cp assignments/pipechain/examples/correct-array/"
	                    "pipe.c %s/submission/",
	                    ag),
	                 0);
	ck_assert_msg(sh("AUTOGRADER_ROOT=%s bash %s/source/setup.sh "
	                 ">/dev/null 2>&1",
	                 ag, ag) == 0,
	              "setup.sh failed");
	ck_assert_int_eq(sh("AUTOGRADER_ROOT=%s IPCGRADE_DISABLE=namespaces "
	                    "%s/run_autograder",
	                    ag, ag),
	                 0);

	snprintf(path, sizeof(path), "%s/results/results.json", ag);
	r = json_load_file(path, 0, NULL);
	ck_assert_msg(r, "no results.json");
	ck_assert_str_eq(json_string_value(json_object_get(
	                     json_object_get(r, "extra_data"), "tier")),
	                 "basic");
	/* Full marks: every point of the assignment. */
	a = json_load_file("assignments/pipechain/assignment.json", 0, NULL);
	ck_assert_ptr_nonnull(a);
	json_array_foreach (json_object_get(a, "tests"), i, t)
		points += json_number_value(json_object_get(t, "points"));
	ck_assert_double_eq(json_number_value(json_object_get(r, "score")),
	                    points);
	/* Every test of the assignment, and the build's line. */
	ck_assert_int_eq(json_array_size(json_object_get(r, "tests")),
	                 json_array_size(json_object_get(a, "tests")) + 1);
	json_decref(a);
	json_decref(r);
	/* Hidden tests and the reference: root only. */
	snprintf(path, sizeof(path), "%s/ipcgrade/share/ipcgrade", ag);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 077, 0);

	fs_remove_tree(tmp);
	free(tmp);
}
END_TEST

Suite *bundle_suite(void)
{
	Suite *s = suite_create("bundle");
	TCase *tc = tcase_create("gradescope");

	tcase_set_timeout(tc, 180);
	tcase_add_test(tc, test_bundle_grades_end_to_end);
	suite_add_tcase(s, tc);
	return s;
}
