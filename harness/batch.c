#include "batch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "build.h"
#include "fsutil.h"
#include "grade.h"
#include "gradebook.h"
#include "probe.h"
#include "progress.h"
#include "slot.h"

#define MANIFEST_SCHEMA "ipcgrade/batch/1"
#define MAX_RESULT      (64 << 20)

/* A sub-folder's name, or NULL for anything else. */
static char *folder_name(const char *dir, const char *name)
{
	char path[PATH_MAX + 256];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		return NULL;
	return strdup(name);
}

long batch_list(const char *root, char ***names)
{
	return gradebook_scan(root, folder_name, names);
}

unsigned batch_shard_of(const char *name, unsigned n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * 0x100000001b3ULL;
	/* MurmurHash3's finaliser: names that differ only at the end still
	 * spread over every shard. */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return n > 1 ? (unsigned)(h % n) + 1 : 1;
}

static const char *tmp_base(void)
{
	const char *t = getenv("TMPDIR");
	return t && *t ? t : "/tmp";
}

/*** The manifest: OUTDIR/batch.json says what the folder holds. ***/

static json_t *manifest_new(const struct assignment *a, const char *root,
                            const struct batch_options *o, char **names, long n)
{
	json_t *subs = json_array(), *tests = json_null(), *m;
	char shard[32];

	for (long i = 0; i < n; i++)
		json_array_append_new(subs, json_string(names[i]));
	if (o->only) {
		tests = json_array();
		for (const char *const *id = o->only; *id; id++)
			json_array_append_new(tests, json_string(*id));
	}
	snprintf(shard, sizeof(shard), "%u/%u", o->nshards > 1 ? o->shard : 1,
	         o->nshards > 1 ? o->nshards : 1);
	m = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "schema",
	              MANIFEST_SCHEMA, "assignment", a->name, "root", root,
	              "shard", shard, "tests", tests, "submissions", subs);
	return m;
}

static json_t *manifest_load(const char *dir)
{
	char path[PATH_MAX + 32];
	json_t *m;

	snprintf(path, sizeof(path), "%s/batch.json", dir);
	m = json_load_file(path, 0, NULL);
	if (m && (!json_is_object(m) ||
	          strcmp(json_string_value(json_object_get(m, "schema")) ?: "",
	                 MANIFEST_SCHEMA))) {
		json_decref(m);
		m = NULL;
	}
	return m;
}

/* "K/N" of a manifest; 0 on success. */
static int manifest_shard(json_t *m, unsigned *k, unsigned *n)
{
	const char *s = json_string_value(json_object_get(m, "shard"));
	return s && sscanf(s, "%u/%u", k, n) == 2 && *k >= 1 && *k <= *n ? 0
	                                                                 : -1;
}

/*** One submission in a worker process ***/

struct batch_ctx {
	const struct assignment *a;
	const char *root, *outdir;
	const struct batch_options *o;
	int tier;
	pid_t parent;
	sigset_t oldmask;
};

static int result_path(char *buf, size_t n, const char *outdir,
                       const char *name)
{
	return snprintf(buf, n, "%s/results/%s.json", outdir, name) >= (int)n
	           ? -ENAMETOOLONG
	           : 0;
}

static int write_result(const struct batch_ctx *c, const struct result *r,
                        const char *name)
{
	char path[PATH_MAX + 300];
	json_t *j = result_to_json(r);
	int err;

	if (!j)
		return -ENOMEM;
	err = result_path(path, sizeof(path), c->outdir, name);
	if (!err)
		err = gradebook_write_json(path, j);
	json_decref(j);
	return err;
}

static bool selected(const struct batch_options *o, const char *id)
{
	if (!o->only)
		return true;
	for (const char *const *p = o->only; *p; p++)
		if (!strcmp(*p, id))
			return true;
	return false;
}

/* The result of a grading that ended without writing one: an "error",
 * never a zero the student has to argue about. */
static int write_error_result(const struct batch_ctx *c, const char *name,
                              const char *why, double seconds)
{
	struct result r = { 0 };
	int err;

	r.assignment = c->a->name;
	r.submission = strdup(name);
	r.status = RESULT_ERROR;
	r.error = strdup(why);
	r.tier = probe_tier_name(c->tier);
	r.seconds = seconds;
	r.tests = calloc(c->a->ntests ? c->a->ntests : 1, sizeof(*r.tests));
	if (!r.tests || !r.submission || !r.error) {
		result_release(&r);
		return -ENOMEM;
	}
	for (size_t i = 0; i < c->a->ntests; i++) {
		const struct test_spec *t = &c->a->tests[i];
		struct test_outcome *o;
		if (!selected(c->o, t->id))
			continue;
		o = &r.tests[r.ntests++];
		o->id = t->id;
		o->name = t->name;
		o->visibility = t->visibility;
		o->status = TEST_SKIPPED;
		o->max_score = t->points;
		r.max_score += t->points;
	}
	err = write_result(c, &r, name);
	result_release(&r);
	return err;
}

static void worker_main(const struct batch_ctx *c, const char *name,
                        const char *tmpdir)
{
	struct grade_options go = { .tier = c->o->tier,
		                    .only = c->o->only,
		                    .seed = c->o->seed,
		                    .command = "ipcgrade grade" };
	struct result r;
	char dir[PATH_MAX + 300];
	int devnull;

	/* The parent decides what a Ctrl-C means; if it dies (even by
	 * kill -9), so do we, and the sandbox's keeper after us. */
	sigprocmask(SIG_SETMASK, &c->oldmask, NULL);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != c->parent)
		_exit(70);
	devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (devnull >= 0)
		dup2(devnull, 1);
	/* Build folders go under a folder the parent removes whatever
	 * happens to us. */
	setenv("TMPDIR", tmpdir, 1);
	snprintf(dir, sizeof(dir), "%s/%s", c->root, name);
	grade_run(c->a, dir, &go, &r);
	_exit(write_result(c, &r, name) ? 71 : 0);
}

/*** The parent: a pool of workers ***/

struct worker {
	pid_t pid;
	const char *name;
	char *tmpdir;
	double t0;
};

struct pool {
	struct batch_ctx c;
	struct worker *w;
	unsigned jobs, running;
	struct progress p;
	struct batch_stats *stats;
	bool stopping;
};

static int start_worker(struct pool *pl, const char *name)
{
	struct worker *w = NULL;
	static unsigned seq;
	pid_t pid;

	for (unsigned i = 0; i < pl->jobs && !w; i++)
		if (!pl->w[i].pid)
			w = &pl->w[i];
	if (asprintf(&w->tmpdir, "%s/ipcgrade-batch-%d-%u", tmp_base(),
	             (int)getpid(), seq++) < 0) {
		w->tmpdir = NULL;
		return -ENOMEM;
	}
	fflush(NULL);
	if ((mkdir(w->tmpdir, 0711) < 0 && errno != EEXIST) ||
	    (pid = fork()) < 0) {
		int err = -errno;
		rmdir(w->tmpdir);
		free(w->tmpdir);
		w->tmpdir = NULL;
		return err;
	}
	if (pid == 0)
		worker_main(&pl->c, name, w->tmpdir);
	w->pid = pid;
	w->name = name;
	w->t0 = progress_now();
	pl->running++;
	return 0;
}

/* Read back what a worker wrote, for the progress line and the counts. */
static void account(struct pool *pl, const char *name, double seconds, bool now)
{
	char path[PATH_MAX + 300];
	json_t *r = NULL;
	const char *st;

	if (!result_path(path, sizeof(path), pl->c.outdir, name))
		r = json_load_file(path, 0, NULL);
	st = json_string_value(json_object_get(r, "status"));
	if (!st)
		st = "error";
	if (!strcmp(st, "build_failed"))
		pl->stats->build_failed++;
	else if (strcmp(st, "graded"))
		pl->stats->errors++;
	if (now) {
		pl->stats->graded++;
		progress_done(
		    &pl->p, name, st,
		    json_number_value(json_object_get(r, "score")),
		    json_number_value(json_object_get(r, "max_score")),
		    seconds);
	}
	json_decref(r);
}

static void finish_worker(struct pool *pl, pid_t pid, int status)
{
	char path[PATH_MAX + 300], why[128];
	struct worker *w = NULL;
	double secs;

	for (unsigned i = 0; i < pl->jobs && !w; i++)
		if (pl->w[i].pid == pid)
			w = &pl->w[i];
	if (!w)
		return;
	secs = progress_now() - w->t0;
	pl->running--;
	w->pid = 0;
	if (w->tmpdir) {
		fs_remove_tree(w->tmpdir);
		free(w->tmpdir);
		w->tmpdir = NULL;
	}
	if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
		/* Killed by us on Ctrl-C: no result, --resume grades it. */
		if (pl->stopping)
			return;
		if (WIFSIGNALED(status))
			snprintf(why, sizeof(why),
			         "the grading process was killed by signal "
			         "%d (%s)",
			         WTERMSIG(status), strsignal(WTERMSIG(status)));
		else
			snprintf(why, sizeof(why),
			         "the grading process failed (exit %d)",
			         WEXITSTATUS(status));
		if (result_path(path, sizeof(path), pl->c.outdir, w->name) ||
		    access(path, F_OK) < 0)
			write_error_result(&pl->c, w->name, why, secs);
	}
	account(pl, w->name, secs, true);
}

/* Left by a run killed with -9: worker temp folders of dead parents, a
 * half-written result, slots still marked busy. */
static void clean_leftovers(const char *outdir)
{
	char path[PATH_MAX + 300];
	struct dirent *e;
	DIR *d;

	if ((d = opendir(tmp_base()))) {
		while ((e = readdir(d))) {
			int pid;
			if (sscanf(e->d_name, "ipcgrade-batch-%d-", &pid) !=
			        1 ||
			    pid <= 0 || kill(pid, 0) == 0 || errno != ESRCH)
				continue;
			snprintf(path, sizeof(path), "%s/%s", tmp_base(),
			         e->d_name);
			fs_remove_tree(path);
		}
		closedir(d);
	}
	snprintf(path, sizeof(path), "%s/results", outdir);
	if ((d = opendir(path))) {
		while ((e = readdir(d))) {
			if (e->d_name[0] != '.' || !strstr(e->d_name, ".tmp-"))
				continue;
			snprintf(path, sizeof(path), "%s/results/%s", outdir,
			         e->d_name);
			unlink(path);
		}
		closedir(d);
	}
	slot_sweep_abandoned();
}

/* A result worth keeping on --resume: this assignment, and graded. */
static bool finished(const char *outdir, const char *assignment,
                     const char *name)
{
	char path[PATH_MAX + 300];
	const char *st, *as;
	json_t *r;
	bool ok;

	if (result_path(path, sizeof(path), outdir, name))
		return false;
	r = json_load_file(path, 0, NULL);
	st = json_string_value(json_object_get(r, "status"));
	as = json_string_value(json_object_get(r, "assignment"));
	ok = st && as && !strcmp(as, assignment) &&
	     (!strcmp(st, "graded") || !strcmp(st, "build_failed"));
	json_decref(r);
	return ok;
}

static unsigned cpu_count(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set))
		return CPU_COUNT(&set);
	return 1;
}

/* OUTDIR exists with a results folder; an earlier run in it is kept only
 * with --resume, and only if it graded the same thing. */
static int prepare_outdir(const char *outdir, json_t *manifest,
                          const struct batch_options *o, struct batch_stats *st)
{
	char path[PATH_MAX + 32];
	json_t *old = manifest_load(outdir);
	char **names;
	long n = gradebook_list(outdir, &names);
	int err = 0;

	gradebook_free_names(names, n > 0 ? n : 0);
	if ((old || n > 0) && !o->resume) {
		snprintf(st->msg, sizeof(st->msg),
		         "'%s' holds the results of an earlier run: add "
		         "--resume to finish it, or choose another folder",
		         outdir);
		err = -EEXIST;
	} else if (old) {
		static const char *const keys[] = { "assignment", "shard",
			                            "tests" };
		for (size_t i = 0; i < 3 && !err; i++)
			if (!json_equal(json_object_get(old, keys[i]),
			                json_object_get(manifest, keys[i]))) {
				snprintf(st->msg, sizeof(st->msg),
				         "'%s' holds a run with another %s: "
				         "choose another folder",
				         outdir, keys[i]);
				err = -EINVAL;
			}
	}
	json_decref(old);
	if (err)
		return err;
	snprintf(path, sizeof(path), "%s/results", outdir);
	if ((mkdir(outdir, 0755) < 0 && errno != EEXIST) ||
	    (mkdir(path, 0755) < 0 && errno != EEXIST)) {
		err = -errno;
		snprintf(st->msg, sizeof(st->msg), "cannot make '%.400s': %s",
		         path, strerror(errno));
		return err;
	}
	snprintf(path, sizeof(path), "%s/batch.json", outdir);
	if ((err = gradebook_write_json(path, manifest)))
		snprintf(st->msg, sizeof(st->msg), "cannot write '%.400s': %s",
		         path, strerror(-err));
	return err;
}

static void run_pool(struct pool *pl, char **todo, size_t ntodo)
{
	struct timespec tick = { 0, 0 }, zero = { 0, 0 };
	sigset_t mask;
	size_t next = 0;
	pid_t pid;
	int status;

	tick.tv_sec = pl->p.bar ? 0 : 5;
	tick.tv_nsec = pl->p.bar ? 500000000 : 0;
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, &pl->c.oldmask);
	for (;;) {
		int sig, err;
		while (!pl->stopping && pl->running < pl->jobs &&
		       next < ntodo) {
			if ((err = start_worker(pl, todo[next]))) {
				snprintf(pl->stats->msg, sizeof(pl->stats->msg),
				         "cannot start a grading: %s",
				         strerror(-err));
				pl->stopping = true;
				break;
			}
			next++;
		}
		if (!pl->running)
			break;
		sig = sigtimedwait(&mask, NULL, &tick);
		if ((sig == SIGINT || sig == SIGTERM || sig == SIGHUP) &&
		    !pl->stopping) {
			pl->stopping = true;
			pl->stats->interrupted = true;
			for (unsigned i = 0; i < pl->jobs; i++)
				if (pl->w[i].pid)
					kill(pl->w[i].pid, SIGKILL);
		}
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
			finish_worker(pl, pid, status);
		progress_tick(&pl->p);
	}
	/* A second Ctrl-C while we stopped must not kill us now. */
	while (sigtimedwait(&mask, NULL, &zero) > 0)
		;
	sigprocmask(SIG_SETMASK, &pl->c.oldmask, NULL);
}

int batch_run(const struct assignment *a, const char *root, const char *outdir,
              const struct batch_options *o, struct batch_stats *st)
{
	struct pool pl = { .c = { .a = a,
		                  .root = root,
		                  .outdir = outdir,
		                  .o = o,
		                  .parent = getpid() },
		           .stats = st };
	struct build ref = { 0 };
	char **names = NULL, **todo = NULL;
	json_t *manifest = NULL;
	size_t ntodo = 0;
	long n;
	int err = 0;

	memset(st, 0, sizeof(*st));
	n = batch_list(root, &names);
	if (n < 0) {
		snprintf(st->msg, sizeof(st->msg), "cannot read '%s': %s", root,
		         strerror((int)-n));
		return (int)n;
	}
	/* Probe once here: every worker inherits the answer. */
	pl.c.tier = probe_pick_tier(o->tier);
	if (pl.c.tier < 0) {
		snprintf(st->msg, sizeof(st->msg), "%s",
		         pl.c.tier == -ENOTSUP
		             ? "full isolation is not available"
		             : "the sandbox needs root");
		err = pl.c.tier;
		goto out;
	}
	manifest = manifest_new(a, root, o, names, n);
	todo = calloc(n ? n : 1, sizeof(*todo));
	pl.jobs = o->jobs ? o->jobs : cpu_count();
	pl.w = calloc(pl.jobs, sizeof(*pl.w));
	if (!manifest || !todo || !pl.w) {
		err = -ENOMEM;
		goto out;
	}
	if ((err = prepare_outdir(outdir, manifest, o, st)))
		goto out;
	clean_leftovers(outdir);

	/* A reference that does not build is the course's problem: say so
	 * once, before grading anything. */
	if ((err = build_run(a, a->reference_dir, pl.c.tier, NULL, &ref)) ||
	    !ref.ok) {
		snprintf(st->msg, sizeof(st->msg),
		         "the reference solution in '%s' does not build:\n%s",
		         a->reference_dir, ref.log ? ref.log : "");
		err = err ? err : -ENOEXEC;
		goto out;
	}
	build_release(&ref);

	for (long i = 0; i < n; i++) {
		if (o->nshards > 1 &&
		    batch_shard_of(names[i], o->nshards) != o->shard)
			continue;
		st->total++;
		if (o->resume && finished(outdir, a->name, names[i])) {
			st->resumed++;
			account(&pl, names[i], 0, false);
		} else {
			todo[ntodo++] = names[i];
		}
	}
	progress_start(&pl.p, o->progress ? o->progress : stderr, o->bar,
	               st->total, st->resumed);
	run_pool(&pl, todo, ntodo);
	progress_end(&pl.p);
	if (st->interrupted)
		slot_sweep_abandoned();
	/* What was graded is written even after a failure or Ctrl-C. */
	{
		char msg[sizeof(st->msg)];
		int e = gradebook_write(outdir, msg, sizeof(msg));
		if (*st->msg) /* a grading could not be started */
			err = -EIO;
		else if (e) {
			err = e;
			memcpy(st->msg, msg, sizeof(msg));
		}
	}
out:
	build_release(&ref);
	json_decref(manifest);
	free(todo);
	free(pl.w);
	gradebook_free_names(names, n > 0 ? n : 0);
	return err;
}

/*** Merging the output folders of shards ***/

static int read_all(const char *path, char **data, size_t *len)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t n = 0;
	FILE *m;
	char chunk[65536];
	size_t k;

	if (!f)
		return -errno;
	if (!(m = open_memstream(&buf, &n))) {
		fclose(f);
		return -ENOMEM;
	}
	while ((k = fread(chunk, 1, sizeof(chunk), f)) > 0 && n < MAX_RESULT)
		fwrite(chunk, 1, k, m);
	fclose(f);
	fclose(m);
	*data = buf;
	*len = n;
	return n >= MAX_RESULT ? -EFBIG : 0;
}

int batch_merge(const char *const *dirs, size_t ndirs, const char *outdir,
                char *msg, size_t msglen)
{
	json_t **m = calloc(ndirs ? ndirs : 1, sizeof(*m)), *subs, *s, *out;
	const char **by_shard = NULL;
	char path[PATH_MAX + 300], real_out[PATH_MAX], real_in[PATH_MAX];
	unsigned k, nshards = 0;
	size_t i;
	int err = 0;

	if (!m)
		return -ENOMEM;
	for (i = 0; i < ndirs; i++) {
		if (!(m[i] = manifest_load(dirs[i]))) {
			snprintf(msg, msglen,
			         "'%s' is not the output folder of an "
			         "ipcgrade batch (no batch.json)",
			         dirs[i]);
			err = -EINVAL;
			goto out;
		}
		if (realpath(dirs[i], real_in) && realpath(outdir, real_out) &&
		    !strcmp(real_in, real_out)) {
			snprintf(msg, msglen,
			         "the output folder '%s' is also an input",
			         outdir);
			err = -EINVAL;
			goto out;
		}
		if (manifest_shard(m[i], &k, &nshards) < 0 ||
		    !json_equal(json_object_get(m[i], "assignment"),
		                json_object_get(m[0], "assignment")) ||
		    !json_equal(json_object_get(m[i], "tests"),
		                json_object_get(m[0], "tests")) ||
		    !json_equal(json_object_get(m[i], "submissions"),
		                json_object_get(m[0], "submissions"))) {
			snprintf(
			    msg, msglen,
			    "'%s' and '%s' are not shards of one batch "
			    "(another assignment, test selection or set of "
			    "submissions)",
			    dirs[0], dirs[i]);
			err = -EINVAL;
			goto out;
		}
	}
	if (!ndirs || !(by_shard = calloc(nshards + 1, sizeof(*by_shard)))) {
		err = ndirs ? -ENOMEM : -EINVAL;
		snprintf(msg, msglen, "nothing to merge");
		goto out;
	}
	for (i = 0; i < ndirs; i++) {
		unsigned n;
		manifest_shard(m[i], &k, &n);
		if (n != nshards || by_shard[k]) {
			snprintf(msg, msglen,
			         "'%s' is shard %u/%u, which another input "
			         "already is or does not fit",
			         dirs[i], k, n);
			err = -EINVAL;
			goto out;
		}
		by_shard[k] = dirs[i];
	}
	for (k = 1; k <= nshards; k++)
		if (!by_shard[k]) {
			snprintf(msg, msglen, "shard %u/%u is missing", k,
			         nshards);
			err = -EINVAL;
			goto out;
		}

	/* Every submission must have its result in its shard's folder. */
	subs = json_object_get(m[0], "submissions");
	json_array_foreach (subs, i, s) {
		const char *name = json_string_value(s);
		k = batch_shard_of(name, nshards);
		if (result_path(path, sizeof(path), by_shard[k], name) ||
		    access(path, F_OK) < 0) {
			snprintf(msg, msglen,
			         "shard %u/%u ('%s') has no result for '%s': "
			         "run that shard again with --resume",
			         k, nshards, by_shard[k], name);
			err = -ENOENT;
			goto out;
		}
	}
	{
		char **old;
		long n = gradebook_list(outdir, &old);
		json_t *om = manifest_load(outdir);
		gradebook_free_names(old, n > 0 ? n : 0);
		json_decref(om);
		if (n > 0 || om) {
			snprintf(msg, msglen,
			         "'%s' already holds results: choose another "
			         "folder",
			         outdir);
			err = -EEXIST;
			goto out;
		}
	}
	snprintf(path, sizeof(path), "%s/results", outdir);
	if ((mkdir(outdir, 0755) < 0 && errno != EEXIST) ||
	    (mkdir(path, 0755) < 0 && errno != EEXIST)) {
		err = -errno;
		snprintf(msg, msglen, "cannot make '%.400s': %s", path,
		         strerror(errno));
		goto out;
	}
	json_array_foreach (subs, i, s) {
		const char *name = json_string_value(s);
		char *data = NULL;
		size_t len = 0;
		k = batch_shard_of(name, nshards);
		result_path(path, sizeof(path), by_shard[k], name);
		if (!(err = read_all(path, &data, &len))) {
			result_path(path, sizeof(path), outdir, name);
			err = gradebook_write_atomic(path, data, len);
		}
		free(data);
		if (err) {
			snprintf(msg, msglen, "cannot copy '%s': %s", path,
			         strerror(-err));
			goto out;
		}
	}
	out = json_deep_copy(m[0]);
	json_object_set_new(out, "shard", json_string("1/1"));
	snprintf(path, sizeof(path), "%s/batch.json", outdir);
	err = gradebook_write_json(path, out);
	json_decref(out);
	if (err) {
		snprintf(msg, msglen, "cannot write '%s': %s", path,
		         strerror(-err));
		goto out;
	}
	err = gradebook_write(outdir, msg, msglen);
out:
	for (i = 0; i < ndirs; i++)
		json_decref(m[i]);
	free(m);
	free(by_shard);
	return err;
}
