/*
 * check_cheats.c - the cheat corpus (tests/cheats/): a trick a determined
 * student would add to a buggy submission never buys points. Each cheat is
 * an example of an assignment (its honest twin) with files laid over it,
 * graded on the cheat's tests in both tiers: test by test it must score no
 * more than its twin's declared verdicts (which the examples suite proves),
 * and the message must name what was caught. tests/cheats/README.md lists
 * the cheats and what stops each.
 */
#include <check.h>
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "assignment.h"
#include "fsutil.h"
#include "grade.h"
#include "landlock.h"
#include "probe.h"
#include "suites.h"
#include "testutil.h"

#define CHEATS "tests/cheats"

static char names[128][256];
static int ncheats;

static const enum sandbox_tier tiers[] = { TIER_FULL, TIER_BASIC };

static void collect(void)
{
	struct dirent **d;
	int n = scandir(CHEATS, &d, NULL, alphasort);

	ncheats = 0;
	for (int i = 0; i < n; i++) {
		char path[512];
		snprintf(path, sizeof(path), CHEATS "/%s/cheat.json",
		         d[i]->d_name);
		if (d[i]->d_name[0] != '.' && access(path, R_OK) == 0 &&
		    ncheats < 128)
			snprintf(names[ncheats++], 256, "%s", d[i]->d_name);
		free(d[i]);
	}
	if (n >= 0)
		free(d);
}

/* "rename": {"consumer.c": "honest.c"}: the twin's files a trick wraps
 * (its own consumer.c then includes honest.c). */
static void rename_files(json_t *renames, const char *dir)
{
	const char *from;
	json_t *to;

	json_object_foreach (renames, from, to) {
		char a[1024], b[1024];
		snprintf(a, sizeof(a), "%s/%s", dir, from);
		snprintf(b, sizeof(b), "%s/%s", dir, json_string_value(to));
		ck_assert_msg(rename(a, b) == 0, "rename %s: %m", a);
	}
}

/* Copy the cheat's files (all but cheat.json) over dir. */
static void overlay(const char *cheat, const char *dir)
{
	char from[512];
	struct dirent *e;
	DIR *d;

	snprintf(from, sizeof(from), CHEATS "/%s", cheat);
	ck_assert_ptr_nonnull(d = opendir(from));
	while ((e = readdir(d))) {
		char *data = NULL, path[1024];
		size_t len = 0;
		if (e->d_name[0] == '.' || !strcmp(e->d_name, "cheat.json"))
			continue;
		ck_assert_int_eq(
		    fs_read_beneath(from, e->d_name, 1 << 20, &data, &len), 0);
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
		ck_assert_int_eq(fs_write_new(path, data, len, 0644), 0);
		free(data);
	}
	closedir(d);
}

static const struct test_outcome *find(const struct result *r, const char *id)
{
	for (size_t i = 0; i < r->ntests; i++)
		if (!strcmp(r->tests[i].id, id))
			return &r->tests[i];
	return NULL;
}

static double points_of(const struct assignment *a, const char *id)
{
	for (size_t i = 0; i < a->ntests; i++)
		if (!strcmp(a->tests[i].id, id))
			return a->tests[i].points;
	return 0;
}

START_TEST(test_cheat_buys_nothing)
{
	const char *cheat = names[_i / 2];
	enum sandbox_tier t = tiers[_i % 2];
	char path[900], adir[300], honest[600], *tmp = NULL, tricked[700];
	const char *only[16] = { NULL };
	struct grade_options o = { .tier = t, .only = only };
	struct jcheck jc = { 0 };
	struct assignment a;
	struct result c;
	json_t *spec, *tests, *caught, *declared_root, *want, *v;
	json_error_t err;
	double honest_score = 0;
	size_t i;

	if (!test_tier_available(t) || !test_in_part(_i))
		return;
	snprintf(path, sizeof(path), CHEATS "/%s/cheat.json", cheat);
	spec = json_load_file(path, 0, &err);
	ck_assert_msg(spec, "%s: %s", path, err.text);
	tests = json_object_get(spec, "tests");
	caught = json_object_get(spec, "caught");
	snprintf(adir, sizeof(adir), "assignments/%s",
	         json_string_value(json_object_get(spec, "assignment")));
	/* A gap the README lists: without Landlock, or below a
	 * world-writable directory, the basic tier hides the course's files
	 * by their permissions alone. */
	if (t == TIER_BASIC &&
	    json_is_string(json_object_get(spec, "basic_needs")) &&
	    !strcmp(json_string_value(json_object_get(spec, "basic_needs")),
	            "landlock") &&
	    !landlock_can_hide(probe_get()->landlock_abi, adir)) {
		printf("note: %s [basic]: not graded: Landlock cannot hide "
		       "the course's files here (no Landlock, or a "
		       "world-writable directory above them)\n",
		       cheat);
		fflush(stdout);
		json_decref(spec);
		return;
	}
	json_array_foreach (tests, i, v)
		if (i < 15)
			only[i] = json_string_value(v);
	snprintf(honest, sizeof(honest), "%s/examples/%s", adir,
	         json_string_value(json_object_get(spec, "honest")));
	ck_assert_msg(assignment_load(adir, &a, &jc) == 0, "%s", jc.msg);
	snprintf(path, sizeof(path), "%s/expected.json", honest);
	declared_root = json_load_file(path, 0, &err);
	want = json_object_get(declared_root, "tests");
	ck_assert_msg(want, "%s: %s", path, err.text);

	ck_assert_int_eq(fs_make_tempdir("cheat-", &tmp), 0);
	snprintf(tricked, sizeof(tricked), "%s/sub", tmp);
	ck_assert_int_eq(fs_copy_tree(honest, tricked, 64, 16 << 20, NULL), 0);
	rename_files(json_object_get(spec, "rename"), tricked);
	/* "with": another cheat's files first (the same trick, another
	 * twin), then this one's. */
	if (json_is_string(json_object_get(spec, "with")))
		overlay(json_string_value(json_object_get(spec, "with")),
		        tricked);
	overlay(cheat, tricked);
	/* "knows_paths": the worst case, a student who knows where the
	 * course keeps its files (where.h names them). */
	if (json_is_true(json_object_get(spec, "knows_paths"))) {
		char where[800], ref[PATH_MAX], asg[PATH_MAX];
		FILE *f;
		snprintf(where, sizeof(where), "%s/where.h", tricked);
		ck_assert_ptr_nonnull(realpath(adir, asg));
		snprintf(
		    path, sizeof(path), "reference/%s",
		    json_string_value(json_object_get(spec, "assignment")));
		ck_assert_ptr_nonnull(realpath(path, ref));
		ck_assert_ptr_nonnull(f = fopen(where, "w"));
		fprintf(f,
		        "#define ASSIGNMENT_DIR \"%s\"\n"
		        "#define REFERENCE_DIR \"%s\"\n",
		        asg, ref);
		fclose(f);
	}
	ck_assert_int_eq(grade_run(&a, tricked, &o, &c), 0);
	for (i = 0; only[i]; i++) {
		const struct test_outcome *ct = find(&c, only[i]);
		const char *declared =
		    json_string_value(json_object_get(want, only[i]));
		const char *says =
		    json_string_value(json_object_get(caught, only[i]));
		double twin = declared && !strcmp(declared, "passed")
		                  ? points_of(&a, only[i])
		                  : 0;
		honest_score += twin;
		ck_assert_msg(ct && declared, "%s: no test %s", cheat, only[i]);
		ck_assert_msg(
		    ct->score <= twin,
		    "%s [%s]: %s scored %g with the trick, %g without "
		    "(%s)",
		    cheat, probe_tier_name(t), only[i], ct->score, twin,
		    ct->message ? ct->message : "");
		ck_assert_msg(!says ||
		                  (ct->message && strstr(ct->message, says)),
		              "%s [%s]: %s says \"%s\", not \"%s\"", cheat,
		              probe_tier_name(t), only[i],
		              ct->message ? ct->message : "", says);
	}
	ck_assert_msg(c.score <= honest_score,
	              "%s [%s]: the trick scored %g, its honest twin %g", cheat,
	              probe_tier_name(t), c.score, honest_score);
	result_release(&c);
	assignment_release(&a);
	fs_remove_tree(tmp);
	free(tmp);
	json_decref(declared_root);
	json_decref(spec);
}
END_TEST

Suite *cheats_suite(void)
{
	Suite *s = suite_create("cheats");
	TCase *tc = tcase_create("cheats");

	collect();
	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, test_cheat_buys_nothing, 0, 2 * ncheats);
	suite_add_tcase(s, tc);
	return s;
}
