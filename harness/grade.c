#include "grade.h"

#include <errno.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "build.h"
#include "driver.h"
#include "fsutil.h"
#include "probe.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static bool selected(const struct test_spec *t, const struct grade_options *o)
{
	if (o->visible_only && t->visibility != VIS_VISIBLE)
		return false;
	if (!o->only)
		return true;
	for (const char *const *id = o->only; *id; id++)
		if (!strcmp(*id, t->id))
			return true;
	return false;
}

/* Append the one command that re-runs just this test. */
static void add_rerun(struct test_outcome *tr, const struct assignment *a,
                      const char *dir, const struct grade_options *o,
                      uint64_t seed)
{
	char *old = tr->output;

	if (asprintf(&tr->output,
	             "%s%sre-run just this test: %s %s %s "
	             "--test %s --seed %" PRIu64 "%s",
	             old ? old : "", old ? "\n" : "",
	             o->command ? o->command : "ipcgrade grade", a->name, dir,
	             tr->id, seed, o->visible_only ? "" : " --format text") < 0)
		tr->output = old;
	else
		free(old);
}

/* Unpredictable: a submission cannot know its tests' data in advance. */
static uint64_t fresh_seed(void)
{
	uint64_t s = 0;

	if (getrandom(&s, sizeof(s), 0) != (ssize_t)sizeof(s))
		s = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	return s ? s : 1;
}

static int grade_in(const struct assignment *a, const char *dir,
                    const struct grade_options *o, struct result *r)
{
	const char *hide[4] = { a->dir, NULL, NULL, NULL };
	char *refdir = realpath(a->reference_dir, NULL), *copy = strdup(dir);
	struct build ref = { 0 }, stu = { 0 };
	struct grade_ctx g = { 0 };
	double t0 = now();
	int tier = probe_pick_tier(o->tier), err = 0;
	size_t n = 0;

	memset(r, 0, sizeof(*r));
	r->assignment = a->name;
	r->seed = o->seed ? o->seed : fresh_seed();
	r->submission = strdup(copy ? basename(copy) : dir);
	free(copy);
	if (tier < 0) {
		r->status = RESULT_ERROR;
		r->error =
		    strdup(tier == -ENOTSUP ? "full isolation is not available"
		                            : "the sandbox needs root");
		free(refdir);
		return tier;
	}
	r->tier = probe_tier_name(tier);
	hide[1] = refdir;
	provenance_harness(r->harness_hash);
	if (refdir)
		provenance_assignment(a->dir, refdir, r->assignment_hash);
	r->tests = calloc(a->ntests, sizeof(*r->tests));
	if (!r->tests) {
		free(refdir);
		return -ENOMEM;
	}
	for (size_t i = 0; i < a->ntests; i++) {
		const struct test_spec *t = &a->tests[i];
		struct test_outcome *tr;
		if (!selected(t, o))
			continue;
		tr = &r->tests[n++];
		tr->id = t->id;
		tr->name = t->name;
		tr->visibility = t->visibility;
		tr->max_score = t->points;
		tr->status = TEST_SKIPPED;
		r->max_score += t->points;
	}
	r->ntests = n;

	/* The reference first: if it does not build, the assignment is
	 * broken, whatever the student wrote. */
	if (!refdir || (err = build_run(a, refdir, tier, NULL, &ref)) ||
	    !ref.ok) {
		r->status = RESULT_ERROR;
		if (asprintf(&r->error,
		             "the reference solution in '%s' does "
		             "not build:\n%s",
		             a->reference_dir, ref.log ? ref.log : "") < 0)
			r->error = NULL;
		err = err ? err : -EINVAL;
		goto out;
	}
	if ((err = build_run(a, dir, tier, hide, &stu))) {
		r->status = RESULT_ERROR;
		r->error = stu.log ? strdup(stu.log) : NULL;
		goto out;
	}
	memcpy(r->submission_hash, stu.hash, sizeof(r->submission_hash));
	r->build_ok = stu.ok;
	r->build_seconds = stu.seconds;
	r->build_log = stu.log ? strdup(stu.log) : NULL;
	if (!stu.ok) {
		r->status = RESULT_BUILD_FAILED;
		for (size_t i = 0; i < r->ntests; i++) {
			r->tests[i].status = TEST_FAILED;
			test_outcome_message(&r->tests[i],
			                     "not run: the submission did not "
			                     "build");
		}
		goto out;
	}

	g.a = a;
	g.student_bin = stu.program;
	g.reference_bin = ref.program;
	g.student_dir = stu.bindir;
	g.reference_dir = ref.bindir;
	g.tier = tier;
	g.hide = hide;
	g.submission = dir;
	g.seed = r->seed;
	for (size_t i = 0, k = 0; i < a->ntests; i++) {
		const struct test_spec *t = &a->tests[i];
		struct test_outcome *tr;
		double t1 = now();
		int e;
		if (!selected(t, o))
			continue;
		tr = &r->tests[k++];
		tr->status = TEST_ERROR;
		e = t->driver->run(&g, t, tr);
		tr->seconds = now() - t1;
		if (e) {
			tr->status = TEST_ERROR;
			test_outcome_message(tr, "the harness failed: %s",
			                     strerror(-e));
		}
		if (tr->status == TEST_PASSED)
			tr->score = tr->max_score;
		else if (tr->status != TEST_ERROR)
			add_rerun(tr, a, dir, o, g.seed);
		r->score += tr->score;
	}
	r->status = RESULT_GRADED;
out:
	snprintf(r->layers, sizeof(r->layers), "%s",
	         tier == TIER_FULL ? "pidns ipcns netns mntns utsns uid "
	                             "rlimits seccomp"
	                           : "uid rlimits seccomp subreaper");
	r->seconds = now() - t0;
	build_release(&ref);
	build_release(&stu);
	free(refdir);
	return err;
}

/* Every folder of a grading (its builds, its tests' work dirs) is made in
 * one folder of its own that others may pass through but not list: in the
 * basic tier /tmp is the host's, where a program could otherwise find the
 * reference's build, or another submission's, by listing it. */
int grade_run(const struct assignment *a, const char *dir,
              const struct grade_options *o, struct result *r)
{
	const char *was = getenv("TMPDIR");
	char *saved = was ? strdup(was) : NULL, *own = NULL;
	int err;

	if (fs_make_tempdir("ipcgrade-grading", &own) == 0 &&
	    chmod(own, 0711) == 0)
		setenv("TMPDIR", own, 1);
	err = grade_in(a, dir, o, r);
	if (saved)
		setenv("TMPDIR", saved, 1);
	else
		unsetenv("TMPDIR");
	if (own)
		fs_remove_tree(own);
	free(own);
	free(saved);
	return err;
}
