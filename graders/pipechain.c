/*
 * pipechain.c - the `pipechain` driver: an `io` test of a program that
 * builds a pipeline, watched while it runs.
 *
 * Besides io's keys: "watch" [ "deadlock" | "fd-leak" | "direct-children" |
 * "reaping" ], "max_seconds" (the whole chain's wall time), "probes" (the
 * harness's probe programs, e.g. slowcat, on PATH). A deadlock is cut short
 * and explained: who is blocked where, who holds which pipe end.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driver.h"
#include "io.h"
#include "proc.h"
#include "run.h"

/* All asleep in untimed waits and nothing moved, over this long and this
 * many samples in a row: a deadlock. The tick runs in the loop that feeds
 * stdin and drains the output, so a slow harness cannot look like one. */
#define QUIET_SECONDS 0.1
#define QUIET_SAMPLES 3

static const char *const chain_keys[] = {
	"args",  "stdin",       "stdin_repeat", "files", "compare",
	"watch", "max_seconds", "probes",       NULL,
};

static const char *const watches[] = { "deadlock", "fd-leak", "direct-children",
	                               "reaping", NULL };

static int chain_check(struct jcheck *c, json_t *t, const char *path)
{
	json_t *w, *v;
	double max = 0;
	bool probes = false;
	char p[256], q[300];
	size_t i;
	int err;

	if ((err = io_check(c, t, path)) ||
	    (err = jcheck_strings(c, t, path, "watch", false, &w)) ||
	    (err = jcheck_number(c, t, path, "max_seconds", 0.01, 600, &max)) ||
	    (err = jcheck_bool(c, t, path, "probes", &probes)))
		return err;
	jcheck_join(p, sizeof(p), path, "watch");
	json_array_foreach (w, i, v) {
		const char *const *k = watches;
		while (*k && strcmp(*k, json_string_value(v)))
			k++;
		if (!*k) {
			jcheck_index(q, sizeof(q), p, i);
			return jcheck_fail(c, q,
			                   "'%s' is not deadlock, fd-leak, "
			                   "direct-children or reaping",
			                   json_string_value(v));
		}
	}
	return 0;
}

struct identity {
	uint64_t dev, ino; /* 0, 0: unknown */
};

struct chain_watch {
	char main_comm[16];
	char stages[64][16]; /* the programs the test puts in the chain */
	struct identity stage_exe[64]; /* ... and the files they run */
	int nstages;
	struct identity main_exe, own_exe; /* the student's; ours (pre-exec) */
	bool deadlock, fd_leak, parents;
	struct proc_snapshot snap;
	pid_t main_pid;
	double quiet_since;
	int quiet_samples;
	uint64_t last_sum;
	bool saw_deadlock, saw_leak, saw_indirect, sigchld_ignored;
	/* Faults, for the waits: the program's own when last seen, and each
	 * stage's (by pid) when last seen. */
	unsigned long main_minflt;
	struct {
		pid_t pid;
		unsigned long minflt;
	} seen[64];
	int nseen;
	/* The writeforever probes seen, and whether each was seen in its
	 * SIGPIPE handler (where it waits for our word before it dies). */
	struct {
		pid_t pid;
		bool sigpipe;
	} writers[16];
	int nwriters;
	pid_t writer_ignoring;  /* a writeforever seen with SIGPIPE ignored */
	bool main_ignores_pipe; /* the program itself ignored SIGPIPE */
	int most_alive;         /* the most stages seen running at once */
	char diag[4096], cause[512], leak[512], indirect[512];
};

static bool wants(json_t *p, const char *what)
{
	json_t *v;
	size_t i;

	json_array_foreach (json_object_get(p, "watch"), i, v) {
		if (!strcmp(json_string_value(v), what))
			return true;
	}
	return false;
}

/* "pipe 3": pipes numbered in the order they are first seen. */
static int pipe_number(unsigned long *seen, int *n, unsigned long ino)
{
	for (int i = 0; i < *n; i++)
		if (seen[i] == ino)
			return i + 1;
	if (*n < 64)
		seen[(*n)++] = ino;
	return *n;
}

static const struct proc_info *find(const struct proc_snapshot *s, pid_t pid)
{
	for (int i = 0; i < s->n; i++)
		if (s->p[i].pid == pid)
			return &s->p[i];
	return NULL;
}

/* The table of who waits where and holds what, and the likeliest cause. */
static void explain(struct chain_watch *w)
{
	const struct proc_snapshot *s = &w->snap;
	unsigned long seen[64];
	int nseen = 0;
	size_t len = 0;
	const struct proc_info *main_p = find(s, w->main_pid);

	w->diag[0] = w->cause[0] = '\0';
	for (int i = 0; i < s->n; i++) {
		const struct proc_info *p = &s->p[i];
		len += snprintf(w->diag + len, sizeof(w->diag) - len,
		                "%s%s (pid %d): %s", len ? "\n" : "", p->comm,
		                (int)p->pid, proc_waiting_for(p));
		for (int k = 0; k < p->nfds && len < sizeof(w->diag); k++)
			if (p->fds[k].pipe)
				len += snprintf(
				    w->diag + len, sizeof(w->diag) - len,
				    "%s %s end of pipe %d as fd %d",
				    k ? "," : "; holds",
				    p->fds[k].write ? "write" : "read",
				    pipe_number(seen, &nseen, p->fds[k].pipe),
				    p->fds[k].fd);
		if (len >= sizeof(w->diag))
			break;
	}
	/* Waiting for a child while another is stuck writing: the stages
	 * were not started together (a stage that already ended, even
	 * unwaited, was started). */
	int started = w->nseen;
	if (s->n - (main_p ? 1 : 0) > started)
		started = s->n - (main_p ? 1 : 0);
	for (int i = 0; main_p && started < w->nstages && i < s->n; i++)
		if (!strcmp(proc_waiting_for(main_p),
		            "waiting for a child to end") &&
		    !strcmp(proc_waiting_for(&s->p[i]),
		            "blocked writing to a full pipe")) {
			snprintf(w->cause, sizeof(w->cause),
			         "'%s' waits for a child with %d of its %d "
			         "programs started, while '%s' (pid %d) is "
			         "blocked writing to a full pipe nobody reads "
			         "yet",
			         main_p->comm, started, w->nstages,
			         s->p[i].comm, (int)s->p[i].pid);
			return;
		}
	/* A writer stuck on a full pipe whose read end only processes that
	 * do not read it hold (itself, 'pipe'): its reader gone, it never
	 * gets SIGPIPE. */
	for (int i = 0; i < s->n; i++) {
		const struct proc_info *wr = &s->p[i];
		unsigned long out = 0;
		char held[256] = "";
		size_t hl = 0;
		bool reading = false;
		if (strcmp(proc_waiting_for(wr),
		           "blocked writing to a full pipe"))
			continue;
		for (int k = 0; k < wr->nfds; k++)
			if (wr->fds[k].fd == 1 && wr->fds[k].write)
				out = wr->fds[k].pipe;
		for (int j = 0; out && j < s->n; j++)
			for (int k = 0; k < s->p[j].nfds; k++) {
				const struct proc_fd *f = &s->p[j].fds[k];
				if (f->pipe != out || f->write)
					continue;
				if (f->fd == 0 &&
				    !strcmp(proc_waiting_for(&s->p[j]),
				            "waiting to read from a pipe"))
					reading = true;
				if (hl < sizeof(held))
					hl += snprintf(
					    held + hl, sizeof(held) - hl,
					    "%s'%s' (pid %d) as fd %d",
					    hl ? ", " : "", s->p[j].comm,
					    (int)s->p[j].pid, f->fd);
			}
		if (!out || reading || !held[0])
			continue;
		snprintf(w->cause, sizeof(w->cause),
		         "'%s' (pid %d) is blocked writing to pipe %d, whose "
		         "read end is open only in processes that do not read "
		         "it (%s), so it never gets SIGPIPE",
		         wr->comm, (int)wr->pid, pipe_number(seen, &nseen, out),
		         held);
		return;
	}
	/* A reader that never sees end-of-file: someone else still holds
	 * the write end of the pipe it reads. */
	for (int i = 0; i < s->n; i++) {
		const struct proc_info *r = &s->p[i];
		unsigned long in = 0;
		if (strcmp(proc_waiting_for(r), "waiting to read from a pipe"))
			continue;
		for (int k = 0; k < r->nfds; k++)
			if (r->fds[k].fd == 0)
				in = r->fds[k].pipe;
		for (int j = 0; in && j < s->n; j++)
			for (int k = 0; k < s->p[j].nfds; k++) {
				const struct proc_fd *f = &s->p[j].fds[k];
				/* Not the culprit: a writer stuck on a full
				 * pipe, or the stage upstream that writes it
				 * as its stdout and itself waits for input. */
				if (f->pipe != in || !f->write ||
				    (j != i &&
				     !strcmp(proc_waiting_for(&s->p[j]),
				             "blocked writing to a "
				             "full pipe")) ||
				    (j != i && f->fd == 1 &&
				     !strcmp(proc_waiting_for(&s->p[j]),
				             "waiting to read from a pipe")))
					continue;
				snprintf(w->cause, sizeof(w->cause),
				         "'%s' (pid %d) still holds the write "
				         "end of pipe %d as fd %d, so '%s' "
				         "(pid %d) never sees end-of-file",
				         s->p[j].comm, (int)s->p[j].pid,
				         pipe_number(seen, &nseen, in), f->fd,
				         r->comm, (int)r->pid);
				return;
			}
	}
	snprintf(w->cause, sizeof(w->cause),
	         "every process is blocked and nothing moved for %.1f s",
	         QUIET_SECONDS);
}

static bool same(const struct identity *id, uint64_t dev, uint64_t ino)
{
	return id->ino && id->dev == dev && id->ino == ino;
}

static bool is_shell(const char *comm)
{
	static const char *const shells[] = { "sh",  "dash", "bash",
		                              "zsh", "ksh",  "busybox" };

	for (size_t i = 0; i < sizeof(shells) / sizeof(*shells); i++)
		if (!strcmp(comm, shells[i]))
			return true;
	return false;
}

/* Read after the process that names it as its parent: the program was
 * still running then, not exited (or a zombie the keeper has yet to
 * reap). */
static bool still_running(pid_t pid)
{
	char path[64], buf[512];
	const char *r;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (proc_read_small(path, buf, sizeof(buf)) <= 0 ||
	    !(r = strrchr(buf, ')')))
		return false;
	return r[1] == ' ' && r[2] != 'Z' && r[2] != 'X';
}

/* A program the test put in the chain: by the file it runs, whatever it
 * is called; by name only where the file is not known. */
static bool is_stage(const struct chain_watch *w, const struct proc_info *p)
{
	for (int i = 0; i < w->nstages; i++)
		if (w->stage_exe[i].ino
		        ? same(&w->stage_exe[i], p->exe_dev, p->exe_ino)
		        : !strcmp(w->stages[i], p->comm))
			return true;
	return false;
}

static void saw_stage(struct chain_watch *w, const struct proc_info *p)
{
	int i;

	for (i = 0; i < w->nseen && w->seen[i].pid != p->pid; i++)
		;
	if (i == w->nseen && w->nseen < 64)
		w->seen[w->nseen++].pid = p->pid;
	if (i < 64 && p->minflt > w->seen[i].minflt)
		w->seen[i].minflt = p->minflt;
}

static const char *kind_of_end(const struct proc_fd *f)
{
	switch (f->kind) {
	case PROCFS_PIPE:
		return f->write ? "pipe write end" : "pipe read end";
	case PROCFS_FIFO:
		return "FIFO";
	default:
		return "socket (a socketpair end?)";
	}
}

/* writeforever in its SIGPIPE handler: SIGPIPE caught (it installs the
 * handler only when it got it neither ignored nor blocked) and blocked (as
 * in its handler), asleep. */
static bool in_sigpipe_handler(const struct proc_info *p)
{
	uint64_t pipe_bit = 1ULL << (SIGPIPE - 1);

	return !strcmp(p->comm, "writeforever") && p->state == 'S' &&
	       (p->sigcgt & pipe_bit) && (p->sigblk & pipe_bit);
}

/* The student's run: each writeforever noted, and once in its SIGPIPE
 * handler, marked so and told to go on dying. */
static bool writer_tick(struct chain_watch *w, const struct proc_info *p)
{
	int i;

	if (strcmp(p->comm, "writeforever") || p->state == 'Z')
		return false;
	for (i = 0; i < w->nwriters && w->writers[i].pid != p->pid; i++)
		;
	if (i == w->nwriters) {
		if (w->nwriters == 16)
			return false;
		w->writers[w->nwriters++].pid = p->pid;
	}
	if (in_sigpipe_handler(p)) {
		w->writers[i].sigpipe = true;
		kill(p->pid, SIGUSR1);
		return true;
	}
	return false;
}

/* Whether every writeforever the test puts in the chain was seen in its
 * SIGPIPE handler: one there waits for us, so a writer that dies of
 * SIGPIPE is always seen; one that is not ended some other way. */
static bool writers_by_sigpipe(const struct chain_watch *w)
{
	int want = 0, seen = 0;

	for (int i = 0; i < w->nstages; i++)
		want += !strcmp(w->stages[i], "writeforever");
	for (int i = 0; i < w->nwriters; i++)
		seen += w->writers[i].sigpipe;
	return seen >= want;
}

/* Seen: each quickcat that stopped itself to wait for this goes on. */
static bool release_quickcats(const struct proc_snapshot *s)
{
	bool any = false;

	for (int i = 0; i < s->n; i++)
		if (s->p[i].state == 'T' && !strcmp(s->p[i].comm, "quickcat")) {
			kill(s->p[i].pid, SIGCONT);
			any = true;
		}
	return any;
}

/* The reference's run: nothing is judged or noted (the watch is the
 * student's run's too); quickcats are let go, and a writeforever in its
 * SIGPIPE handler is told to go on dying (else it waits there 2 s). */
static int reference_tick(void *arg, const struct sandbox_tick *t)
{
	struct chain_watch *w = arg;

	if (proc_snapshot(t->uid, &w->snap) == 0) {
		release_quickcats(&w->snap);
		for (int i = 0; i < w->snap.n; i++)
			if (in_sigpipe_handler(&w->snap.p[i]))
				kill(w->snap.p[i].pid, SIGUSR1);
	}
	return 0;
}

static int chain_tick(void *arg, const struct sandbox_tick *t)
{
	struct chain_watch *w = arg;
	struct proc_snapshot *s = &w->snap;
	uint64_t sum = t->stdin_fed + t->output;
	bool busy = false;

	if (proc_snapshot(t->uid, s) < 0 || !s->n)
		return 0;
	w->main_pid = t->main;
	int alive = 0;
	for (int i = 0; i < s->n; i++) {
		struct proc_info *p = &s->p[i];
		sum += p->io;
		/* Running, in the kernel, or in a timed sleep: it will move
		 * again by itself. */
		if (p->state == 'R' || p->state == 'D' ||
		    strstr(p->wchan, "nanosleep"))
			busy = true;
		/* Ending by SIGPIPE, as it should: moving by itself. */
		if (writer_tick(w, p))
			busy = true;
		if (p->pid == w->main_pid && p->state != 'Z') {
			/* The kernel reaps the children of a process that
			 * ignores SIGCHLD: nobody waits for them. */
			if (p->sigign >> (SIGCHLD - 1) & 1)
				w->sigchld_ignored = true;
			if (p->sigign >> (SIGPIPE - 1) & 1)
				w->main_ignores_pipe = true;
			if (p->minflt > w->main_minflt)
				w->main_minflt = p->minflt;
		}
		/* Until it execs, the program runs our own file. It must then
		 * go on running the student's: anything else replaced it. */
		if (w->parents && !w->saw_indirect && p->pid == w->main_pid &&
		    p->state != 'Z' && p->exe_ino && w->main_exe.ino &&
		    !same(&w->main_exe, p->exe_dev, p->exe_ino) &&
		    !same(&w->own_exe, p->exe_dev, p->exe_ino)) {
			char path[64], exe[200] = "";
			ssize_t k;
			snprintf(path, sizeof(path), "/proc/%d/exe",
			         (int)p->pid);
			k = readlink(path, exe, sizeof(exe) - 1);
			exe[k > 0 ? k : 0] = '\0';
			w->saw_indirect = true;
			snprintf(w->indirect, sizeof(w->indirect),
			         "'%s' replaced itself with %s (exec without "
			         "fork): run each program in a child of its "
			         "own",
			         w->main_comm, exe[0] ? exe : p->comm);
		}
		/* Only the chain's own programs, once they run: a shell the
		 * student started, or a child before its exec, legitimately
		 * holds pipe ends for a moment. */
		if (!is_stage(w, p) || p->state == 'Z' || p->pid == w->main_pid)
			continue;
		saw_stage(w, p);
		alive++;
		if (!strcmp(p->comm, "writeforever") &&
		    (p->sigign >> (SIGPIPE - 1) & 1))
			w->writer_ignoring = p->pid;
		for (int k = 0; w->fd_leak && !w->saw_leak && k < p->nfds; k++)
			if (p->fds[k].fd > 2 &&
			    (p->fds[k].kind == PROCFS_PIPE ||
			     p->fds[k].kind == PROCFS_FIFO ||
			     p->fds[k].kind == PROCFS_SOCKET)) {
				w->saw_leak = true;
				snprintf(w->leak, sizeof(w->leak),
				         "'%s' (pid %d) holds a %s as fd %d: "
				         "close every unused pipe end in the "
				         "children",
				         p->comm, (int)p->pid,
				         kind_of_end(&p->fds[k]), p->fds[k].fd);
			}
		/* A child of the keeper is an orphan: of the program, once
		 * it has exited (reaping judges that), or of some other
		 * parent that exited while the program still ran. */
		if (w->parents && !w->saw_indirect && w->main_pid &&
		    p->ppid != w->main_pid && p->pid != w->main_pid &&
		    p->ppid == t->keeper && still_running(w->main_pid)) {
			w->saw_indirect = true;
			snprintf(w->indirect, sizeof(w->indirect),
			         "'%s' (pid %d) is not a child of '%s': its "
			         "parent exited while '%s' still ran; run each "
			         "program with fork and exec, in '%s' itself",
			         p->comm, (int)p->pid, w->main_comm,
			         w->main_comm, w->main_comm);
		} else if (w->parents && !w->saw_indirect && w->main_pid &&
		           p->ppid != w->main_pid && p->pid != w->main_pid &&
		           p->ppid != t->keeper) {
			const struct proc_info *pp = find(s, p->ppid);
			w->saw_indirect = true;
			snprintf(w->indirect, sizeof(w->indirect),
			         "'%s' (pid %d) is a child of %s%s%s (pid %d), "
			         "not of '%s': %s",
			         p->comm, (int)p->pid, pp ? "'" : "",
			         pp ? pp->comm : "another process",
			         pp ? "'" : "", (int)p->ppid, w->main_comm,
			         pp && is_shell(pp->comm)
			             ? "run each program with fork and exec, "
			               "not system() or sh -c"
			             : "fork every program from the program "
			               "itself");
		}
	}
	if (alive > w->most_alive)
		w->most_alive = alive;
	if (release_quickcats(s))
		busy = true;
	if (!w->deadlock)
		return 0;
	if (busy || sum != w->last_sum) {
		w->last_sum = sum;
		w->quiet_since = t->elapsed;
		w->quiet_samples = 0;
		return 0;
	}
	if (++w->quiet_samples < QUIET_SAMPLES ||
	    t->elapsed - w->quiet_since < QUIET_SECONDS)
		return 0;
	w->saw_deadlock = true;
	explain(w);
	return 1;
}

static void identify(const char *path, struct identity *id)
{
	struct stat st;

	id->dev = id->ino = 0;
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
		id->dev = st.st_dev;
		id->ino = st.st_ino;
	}
}

/* The file a stage name runs, in the sandbox's PATH. The probes are
 * copied into each run's folder, and a name with a slash is the run's own
 * file: those are known by name. */
static void identify_stage(const char *name, bool probes, struct identity *id)
{
	static const char *const path[] = { "/usr/local/bin", "/usr/bin",
		                            "/bin" };
	char file[4200];

	id->dev = id->ino = 0;
	if (strchr(name, '/'))
		return;
	if (probes && run_probes_dir()) {
		snprintf(file, sizeof(file), "%s/%s", run_probes_dir(), name);
		if (access(file, X_OK) == 0)
			return;
	}
	for (size_t i = 0; !id->ino && i < sizeof(path) / sizeof(*path); i++) {
		snprintf(file, sizeof(file), "%s/%s", path[i], name);
		identify(file, id);
	}
}

/* Whether the program waited for every stage: each one it waited for
 * adds its faults to the program's (wait4's rusage), and one the kernel
 * reaped adds none. Only a shortfall larger than what the program itself
 * could still have faulted after it was last seen counts. */
static bool waits_missing(const struct chain_watch *w,
                          const struct sandbox_result *st)
{
	unsigned long stages = 0, smallest = ~0UL;

	for (int i = 0; i < w->nseen; i++) {
		stages += w->seen[i].minflt;
		if (w->seen[i].minflt < smallest)
			smallest = w->seen[i].minflt;
	}
	if (!w->nseen || !st->main_minflt || smallest < 32)
		return false;
	return st->main_minflt + smallest / 2 < w->main_minflt + stages;
}

static int chain_run(const struct grade_ctx *g, const struct test_spec *t,
                     struct test_outcome *out)
{
	json_t *p = t->params;
	struct run_opts o = { .args = json_object_get(p, "args"),
		              .files = json_object_get(p, "files"),
		              .probes =
		                  json_is_true(json_object_get(p, "probes")),
		              .stderr_chatter = io_stderr_ungraded(p),
		              .linger = true,
		              .tick = chain_tick,
		              .ref_tick = reference_tick };
	struct sandbox_result st = { 0 };
	double max = json_number_value(json_object_get(p, "max_seconds"));
	struct chain_watch *w = calloc(1, sizeof(*w));
	json_t *a;
	size_t i;
	const char *base;
	char *big = NULL;
	int err;

	if (!w)
		return -ENOMEM;
	base = strrchr(g->student_bin, '/');
	snprintf(w->main_comm, sizeof(w->main_comm), "%s",
	         base ? base + 1 : g->student_bin);
	identify(g->student_bin, &w->main_exe);
	identify("/proc/self/exe", &w->own_exe);
	json_array_foreach (o.args, i, a) {
		/* As the kernel shows it: the base name, 15 characters. */
		const char *n = strrchr(json_string_value(a), '/');
		if (w->nstages < 64) {
			identify_stage(json_string_value(a), o.probes,
			               &w->stage_exe[w->nstages]);
			snprintf(w->stages[w->nstages++], 16, "%s",
			         n ? n + 1 : json_string_value(a));
		}
	}
	w->deadlock = wants(p, "deadlock");
	w->fd_leak = wants(p, "fd-leak");
	w->parents = wants(p, "direct-children");
	o.tick_arg = w;
	o.ref_tick_arg = w;
	if ((err = io_input(p, &o.in, &o.in_len, &big)) ||
	    (err = run_program(g, t, RUN_STUDENT, &o, &st)))
		goto out;
	if (w->saw_deadlock) {
		out->status = TEST_TIMEOUT;
		test_outcome_message(out, "deadlock after %.1f s: %s",
		                     st.wall_seconds, w->cause);
		test_outcome_output(
		    out, "the processes when it was stopped:\n%s", w->diag);
		goto out;
	}
	if (st.status == SANDBOX_TIMEOUT && w->writer_ignoring) {
		out->status = TEST_TIMEOUT;
		test_outcome_message(
		    out,
		    "'writeforever' (pid %d) ran with SIGPIPE "
		    "ignored%s%s%s, so it never ended; stopped "
		    "after %.1f s",
		    (int)w->writer_ignoring,
		    w->main_ignores_pipe ? " (inherited from '" : "",
		    w->main_ignores_pipe ? w->main_comm : "",
		    w->main_ignores_pipe ? "', which ignores it)" : "",
		    st.wall_seconds);
		goto out;
	}
	if ((err = io_verdict(g, t, &o, &st, out)))
		goto out;
	if (out->status != TEST_PASSED)
		goto out;
	out->status = TEST_FAILED;
	if (w->saw_leak)
		test_outcome_message(out, "file descriptor leak: %s", w->leak);
	else if (w->saw_indirect)
		test_outcome_message(out, "not a direct child: %s",
		                     w->indirect);
	else if (wants(p, "reaping") && st.leftover_processes)
		test_outcome_message(out,
		                     "%u process%s still running or never "
		                     "waited for when '%s' exited: wait for "
		                     "every child",
		                     st.leftover_processes,
		                     st.leftover_processes == 1 ? " was"
		                                                : "es were",
		                     w->main_comm);
	else if (wants(p, "reaping") && w->sigchld_ignored)
		test_outcome_message(out,
		                     "'%s' ignores SIGCHLD, so the kernel "
		                     "reaped its children and their exit "
		                     "statuses were lost: wait for every child",
		                     w->main_comm);
	else if (wants(p, "reaping") && waits_missing(w, &st))
		test_outcome_message(out,
		                     "'%s' did not wait for every program it "
		                     "ran: their use of the machine never "
		                     "reached its own, as a waited-for "
		                     "child's does (they were reaped without "
		                     "it: SIGCHLD ignored, or SA_NOCLDWAIT)",
		                     w->main_comm);
	else if (!writers_by_sigpipe(w))
		test_outcome_message(
		    out, "'writeforever' ended, but not by SIGPIPE: "
		         "something else stopped it (was it "
		         "killed?); a writer whose reader is gone "
		         "must get SIGPIPE from the kernel");
	else if (max > 0 && st.wall_seconds > max)
		test_outcome_message(
		    out,
		    "took %.2f s (at most %.2f s allowed); the "
		    "most programs seen running at once were "
		    "%d of %d",
		    st.wall_seconds, max, w->most_alive, w->nstages);
	else
		out->status = TEST_PASSED;
out:
	sandbox_result_release(&st);
	free(big);
	free(w);
	return err;
}

const struct driver pipechain_driver = {
	.kind = "pipechain",
	.keys = chain_keys,
	.check = chain_check,
	.run = chain_run,
};
