/*
 * check_batch.c - `ipcgrade batch` and `merge` on 16 pipechain submissions
 * (correct, buggy, non-compiling, and a fork bomb, an output flood and a
 * hang from tests/hostile), 2 tests each, 2 at once: killed with SIGKILL,
 * stopped with SIGINT and resumed, or run as 3 shards at once and merged,
 * the output equals one uninterrupted run's (timings and diagnoses aside).
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "fsutil.h"
#include "gradebook.h"
#include "suites.h"
#include "testutil.h"

extern char **environ;

static const char *const examples[] = {
	"bogus-exit-0",   "child-fd-leak",       "closes-stdin",
	"correct-array",  "correct-recursive",   "fixed-ten",
	"no-args-exit-0", "no-close-write-ends", "no-stderr-message",
	"sh-c",           "uses-system",         "waits-each-stage",
};
static const struct {
	const char *name, *source;
} hostile[] = {
	{ "zz-fork-bomb", "01-fork-bomb" },
	{ "zz-flood", "49-output-flood" },
	{ "zz-hang", "11-pause" },
};
#define NSUBS (ARRAY_SIZE(examples) + ARRAY_SIZE(hostile) + 1)

static char *tmp;      /* everything below */
static char root[512]; /* the submissions */
static char full[512]; /* one uninterrupted run */

static void copy_file(const char *from, const char *to)
{
	char *data;
	size_t len;
	FILE *f;

	ck_assert_msg(fs_read_beneath(".", from, 1 << 20, &data, &len) == 0,
	              "cannot read %s", from);
	f = fopen(to, "w");
	ck_assert_ptr_nonnull(f);
	fwrite(data, 1, len, f);
	fclose(f);
	free(data);
}

/* Start `ipcgrade ARGS...` with stdout and stderr to out (a file). */
static pid_t start(const char *out, const char *const *args)
{
	const char *bin = getenv("IPCGRADE_BIN");
	const char *argv[32] = { bin };
	posix_spawn_file_actions_t fa;
	size_t n = 1;
	pid_t pid;

	ck_assert_msg(bin, "IPCGRADE_BIN is not set (run through make)");
	for (; *args && n < 31; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, out,
	                                 O_WRONLY | O_CREAT | O_APPEND, 0644);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	ck_assert_int_eq(
	    posix_spawn(&pid, bin, &fa, NULL, (char **)argv, environ), 0);
	posix_spawn_file_actions_destroy(&fa);
	return pid;
}

static int finish(pid_t pid)
{
	int st;

	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* `ipcgrade batch pipechain ROOT -o OUT -j J [extra...]`, started. */
static pid_t batch(const char *out, const char *jobs, const char *extra1,
                   const char *extra2)
{
	char log[600];
	const char *args[] = {
		"batch",        "pipechain", root,     "-o",          out,
		"-j",           jobs,        "--test", "bogus-first", "--test",
		"large-data-3", extra1,      extra2,   NULL
	};
	snprintf(log, sizeof(log), "%s.log", out);
	return start(log, args);
}

static long count_results(const char *out)
{
	char **names;
	long n = gradebook_list(out, &names);
	gradebook_free_names(names, n > 0 ? n : 0);
	return n;
}

/* Whether worker folders of batch process pid exist in $TMPDIR. */
static bool has_temp_dirs(pid_t pid)
{
	const char *t = getenv("TMPDIR");
	char prefix[64];
	struct dirent *e;
	bool found = false;
	DIR *d = opendir(t && *t ? t : "/tmp");

	snprintf(prefix, sizeof(prefix), "ipcgrade-batch-%d-", (int)pid);
	while (d && (e = readdir(d)))
		found = found || !strncmp(e->d_name, prefix, strlen(prefix));
	if (d)
		closedir(d);
	return found;
}

/* What must be equal between runs: everything but timings ("seconds",
 * "slowest") and the free text of diagnoses, which quotes pids, compiler
 * temp file names and is cut at a byte count ("output", build "log");
 * messages are compared with their numbers masked. */
static void normalise(json_t *j)
{
	const char *k;
	json_t *v;
	void *tmpit;
	size_t i;

	if (json_is_array(j))
		json_array_foreach (j, i, v)
			normalise(v);
	if (!json_is_object(j))
		return;
	json_object_foreach_safe (j, tmpit, k, v) {
		if (!strcmp(k, "seconds") || !strcmp(k, "slowest") ||
		    !strcmp(k, "output") || !strcmp(k, "log") ||
		    !strcmp(k, "seed")) {
			json_object_del(j, k);
			continue;
		}
		if (json_is_string(v) &&
		    (!strcmp(k, "message") || !strcmp(k, "error"))) {
			const char *s = json_string_value(v);
			char *m = malloc(strlen(s) + 1), *o = m;
			for (; *s; s++)
				if (*s >= '0' && *s <= '9') {
					if (o == m || o[-1] != '#')
						*o++ = '#';
				} else
					*o++ = *s;
			*o = '\0';
			json_object_set_new(j, k, json_string(m));
			free(m);
		} else
			normalise(v);
	}
}

static char *normalised(const char *path)
{
	json_error_t err;
	json_t *j = json_load_file(path, 0, &err);
	char *s;

	ck_assert_msg(j, "%s: %s", path, err.text);
	normalise(j);
	s = json_dumps(j, JSON_SORT_KEYS | JSON_INDENT(1));
	json_decref(j);
	return s;
}

static bool same_bytes(const char *a, const char *b)
{
	char *x, *y;
	size_t nx, ny;
	bool same;

	if (fs_read_beneath("/", a + 1, 16 << 20, &x, &nx) ||
	    fs_read_beneath("/", b + 1, 16 << 20, &y, &ny))
		return false;
	same = nx == ny && !memcmp(x, y, nx);
	free(x);
	free(y);
	return same;
}

/* out equals the uninterrupted run: grades.csv and batch.json byte for
 * byte, summary.json and every result after normalise(). */
static void assert_equals_full(const char *out)
{
	static const char *const exact[] = { "grades.csv", "batch.json" };
	char a[700], b[700], **names;
	long n = gradebook_list(full, &names);

	ck_assert_int_eq(n, NSUBS);
	ck_assert_int_eq(count_results(out), NSUBS);
	for (size_t i = 0; i < ARRAY_SIZE(exact); i++) {
		snprintf(a, sizeof(a), "%s/%s", full, exact[i]);
		snprintf(b, sizeof(b), "%s/%s", out, exact[i]);
		ck_assert_msg(same_bytes(a, b), "%s differs from %s", b, a);
	}
	for (long i = -1; i < n; i++) {
		char *x, *y;
		if (i < 0) {
			snprintf(a, sizeof(a), "%s/summary.json", full);
			snprintf(b, sizeof(b), "%s/summary.json", out);
		} else {
			snprintf(a, sizeof(a), "%s/results/%s.json", full,
			         names[i]);
			snprintf(b, sizeof(b), "%s/results/%s.json", out,
			         names[i]);
		}
		x = normalised(a);
		y = normalised(b);
		ck_assert_msg(!strcmp(x, y), "%s differs from %s:\n%s\n---\n%s",
		              b, a, y, x);
		free(x);
		free(y);
	}
	gradebook_free_names(names, n);
}

static void setup(void)
{
	char dir[700], from[700], log[600];

	ck_assert_int_eq(fs_make_tempdir("check-batch", &tmp), 0);
	chmod(tmp, 0755);
	snprintf(root, sizeof(root), "%s/root", tmp);
	snprintf(full, sizeof(full), "%s/full", tmp);
	ck_assert_int_eq(mkdir(root, 0755), 0);
	for (size_t i = 0; i < ARRAY_SIZE(examples); i++) {
		snprintf(dir, sizeof(dir), "%s/%s", root, examples[i]);
		ck_assert_int_eq(mkdir(dir, 0755), 0);
		snprintf(from, sizeof(from),
		         "assignments/pipechain/examples/%s/pipe.c",
		         examples[i]);
		strcat(dir, "/pipe.c");
		copy_file(from, dir);
	}
	/* Hostile programs as submissions: their pipe.c is the attack. */
	for (size_t i = 0; i < ARRAY_SIZE(hostile); i++) {
		snprintf(dir, sizeof(dir), "%s/%s", root, hostile[i].name);
		ck_assert_int_eq(mkdir(dir, 0755), 0);
		snprintf(from, sizeof(from), "tests/hostile/%s.c",
		         hostile[i].source);
		snprintf(dir, sizeof(dir), "%s/%s/pipe.c", root,
		         hostile[i].name);
		copy_file(from, dir);
		snprintf(dir, sizeof(dir), "%s/%s/hostile.h", root,
		         hostile[i].name);
		copy_file("tests/hostile/hostile.h", dir);
	}
	snprintf(dir, sizeof(dir), "%s/no-build", root);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	strcat(dir, "/pipe.c");
	FILE *f = fopen(dir, "w");
	fputs("int main(void) { return missing; }\n", f);
	fclose(f);

	snprintf(log, sizeof(log), "%s.log", full);
	ck_assert_msg(finish(batch(full, "2", NULL, NULL)) == 0,
	              "the uninterrupted run failed; see %s", log);
}

static void teardown(void)
{
	if (tmp)
		fs_remove_tree(tmp);
	free(tmp);
	tmp = NULL;
}

/* Every submission got a grade, the ones we know the right one. */
START_TEST(test_batch_grades_every_submission)
{
	static const struct {
		const char *name, *status, *score;
	} want[] = {
		{ "correct-array", "graded", "5" },
		{ "closes-stdin", "graded", "1" },
		{ "no-build", "build_failed", "0" },
		{ "zz-fork-bomb", "graded", "0" },
		{ "zz-flood", "graded", "0" },
		{ "zz-hang", "graded", "0" },
	};
	char path[700], *csv, line[256];
	size_t len;
	json_t *s;

	snprintf(path, sizeof(path), "%s/grades.csv", full);
	ck_assert_int_eq(fs_read_beneath("/", path + 1, 1 << 20, &csv, &len),
	                 0);
	static const char head[] =
	    "submission,score,max,status,bogus-first,large-data-3\r\n";
	ck_assert_msg(!strncmp(csv, head, strlen(head)), "%s", csv);
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		snprintf(line, sizeof(line), "\n%s,%s,5,%s,", want[i].name,
		         want[i].score, want[i].status);
		ck_assert_msg(strstr(csv, line), "no line '%s' in\n%s",
		              line + 1, csv);
	}
	free(csv);
	snprintf(path, sizeof(path), "%s/summary.json", full);
	s = json_load_file(path, 0, NULL);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(json_integer_value(json_object_get(s, "count")),
	                 NSUBS);
	ck_assert_int_eq(json_integer_value(json_object_get(
	                     json_object_get(s, "statuses"), "build_failed")),
	                 1);
	ck_assert_int_eq(json_array_size(json_object_get(s, "histogram")), 10);
	ck_assert_int_eq(json_array_size(json_object_get(s, "tests")), 2);
	ck_assert_int_eq(json_array_size(json_object_get(s, "slowest")), 5);
	json_decref(s);
}
END_TEST

/* kill -9 mid-run, --resume, Ctrl-C, --resume: the same as one run. */
START_TEST(test_batch_kill_9_and_resume_equals_one_run)
{
	char out[600];
	struct timespec pause = { 0, 50 * 1000 * 1000 };
	long n = 0;
	pid_t pid, pids[4];

	snprintf(out, sizeof(out), "%s/killed", tmp);
	pids[0] = pid = batch(out, "2", NULL, NULL);
	for (int i = 0; i < 1200 && (n = count_results(out)) < 4; i++)
		nanosleep(&pause, NULL);
	kill(pid, SIGKILL);
	ck_assert_int_eq(finish(pid), 128 + SIGKILL);
	n = count_results(out);
	ck_assert_msg(n >= 4 && n < (long)NSUBS, "killed after %ld results", n);
	/* Started again without --resume, it refuses to mix runs. */
	ck_assert_int_eq(finish(batch(out, "2", NULL, NULL)), 2);

	pids[1] = pid = batch(out, "2", "--resume", NULL);
	for (int i = 0; i < 1200 && count_results(out) < n + 2; i++)
		nanosleep(&pause, NULL);
	kill(pid, SIGINT);
	ck_assert_int_eq(finish(pid), 130);
	ck_assert_int_lt(count_results(out), NSUBS);
	pids[2] = pid = batch(out, "2", "--resume", NULL);
	ck_assert_int_eq(finish(pid), 0);
	assert_equals_full(out);

	/* The workers' temporary folders are gone, even the killed run's. */
	for (int i = 0; i < 3; i++)
		ck_assert_msg(!has_temp_dirs(pids[i]),
		              "run %d left ipcgrade-batch-%d-* behind", i,
		              (int)pids[i]);
}
END_TEST

/* Three shards at once (so also three processes taking uid slots), then
 * merged: the same as one run. */
START_TEST(test_batch_shards_merged_equal_one_run)
{
	char out[3][600], merged[600], log[700];
	const char *args[] = { "merge", out[0], out[1], out[2],
		               "-o",    merged, NULL };
	char shard[3][16]; /* room for any int: -Wformat-truncation */
	pid_t pid[3];

	for (int k = 0; k < 3; k++) {
		snprintf(out[k], sizeof(out[k]), "%s/shard%d", tmp, k + 1);
		snprintf(shard[k], sizeof(shard[k]), "%d/3", k + 1);
		pid[k] = batch(out[k], "1", "--shard", shard[k]);
	}
	for (int k = 0; k < 3; k++)
		ck_assert_int_eq(finish(pid[k]), 0);
	for (int k = 0; k < 3; k++)
		ck_assert_int_lt(count_results(out[k]), NSUBS);
	snprintf(merged, sizeof(merged), "%s/merged", tmp);
	snprintf(log, sizeof(log), "%s.log", merged);
	/* Two of three shards are not a batch. */
	args[3] = "-o";
	args[4] = merged;
	args[5] = NULL;
	ck_assert_int_eq(finish(start(log, args)), 2);
	ck_assert_int_ne(access(merged, F_OK), 0);
	args[3] = out[2];
	args[4] = "-o";
	args[5] = merged;
	ck_assert_int_eq(finish(start(log, args)), 0);
	assert_equals_full(merged);
}
END_TEST

START_TEST(test_batch_shard_of_is_stable)
{
	unsigned count[3] = { 0 };
	char name[32];

	/* Only the name decides, and shards come out roughly even. */
	ck_assert_uint_eq(batch_shard_of("alice", 1), 1);
	ck_assert_uint_eq(batch_shard_of("alice", 7),
	                  batch_shard_of("alice", 7));
	for (int i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "student%03d", i);
		count[batch_shard_of(name, 3) - 1]++;
	}
	for (int k = 0; k < 3; k++)
		ck_assert_msg(count[k] > 80 && count[k] < 120,
		              "shard %d has %u of 300", k + 1, count[k]);
}
END_TEST

Suite *batch_suite(void)
{
	Suite *s = suite_create("batch");
	TCase *tc = tcase_create("run");
	TCase *unit = tcase_create("unit");

	/* One uninterrupted run, shared by the tests that compare with it. */
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, test_batch_grades_every_submission);
	tcase_add_test(tc, test_batch_kill_9_and_resume_equals_one_run);
	tcase_add_test(tc, test_batch_shards_merged_equal_one_run);
	suite_add_tcase(s, tc);
	tcase_add_test(unit, test_batch_shard_of_is_stable);
	suite_add_tcase(s, unit);
	return s;
}
