/*
 * conduct - runs several programs in one sandbox by a plan read on stdin,
 * paces their input and output, and reports how each ended on stdout.
 * The harness writes the plan and parses the report (graders/conduct.h
 * documents both). Each program's CPU is its accounting group's (the
 * keeper's witness); the student's run confined (probes/confine.h).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_PROCS 16
#define MAX_BLOBS 16
#define MAX_EXES  16
#define MAX_STEPS 64
#define MAX_ARGS  32
#define MAX_PLAN  (256u << 20)

#include "confine.h"
#include "probe.h"
#include "witness.h"

#define STALL_CAP_MS 5000

struct blob {
	char id[32];
	unsigned char *data;
	size_t len;
};

struct exe {
	char id[32];
	int fd;
	bool student; /* confined before it runs */
};

struct proc {
	char name[32];
	int exe;
	char *argv[MAX_ARGS + 1];
	/* stdin: a blob, fed all at once or in paced chunks */
	struct blob *in;
	size_t in_off, chunk;
	long every_ms;
	int in_fd;
	double next_feed;
	/* stdout: kept up to cap bytes, read in paced chunks, or not read
	 * at all for stall_ms after the start */
	bool keep;
	size_t cap, out_chunk, kept, total;
	long out_every_ms, stall_ms;
	unsigned char *buf;
	int out_fd;
	double next_read;
	/* how it went */
	pid_t pid;
	bool started, exited, fed;
	double t_start, t_end, t_fed, t_stall_end;
	int status;
	struct rusage ru;
	double cpu; /* its accounting group: every process it ever had */
};

/* CPU of a program's group between two of the run's events, where it
 * should be idle: "start:P", "fed:P" (P's input all written), "stall:P"
 * (P's output no longer held back), "end:P". */
struct window {
	int proc;
	char from[40], to[40];
	double t0, t1, cpu0, cpu1;
	bool begun, done;
};

#define MAX_WINDOWS 8

enum step_kind {
	STEP_START,
	STEP_SLEEP,
	STEP_AWAIT,
	STEP_WAIT,
	STEP_WAITALL
};

struct step {
	enum step_kind kind;
	int proc;
	long ms;
	/* await: until path exists and, with want_at >= 0, holds the 32-bit
	 * value want at byte want_at */
	char *path;
	long want_at;
	uint32_t want;
};

static struct blob blobs[MAX_BLOBS];
static struct exe exes[MAX_EXES];
static struct proc procs[MAX_PROCS];
static struct step steps[MAX_STEPS];
static struct window windows[MAX_WINDOWS];
static size_t nblobs, nexes, nprocs, nsteps, nwindows;
static bool confined = true; /* every student program was confined */
static int chld_pipe[2] = { -1, -1 };

static void on_chld(int sig)
{
	int e = errno;

	(void)sig;
	if (write(chld_pipe[1], "c", 1) < 0) {
		/* the pipe is full: a wake-up is pending anyway */
	}
	errno = e;
}

static int find_proc(const char *name)
{
	for (size_t i = 0; i < nprocs; i++)
		if (!strcmp(procs[i].name, name))
			return (int)i;
	die("no process '%s'", name);
	return -1;
}

static struct blob *find_blob(const char *id)
{
	for (size_t i = 0; i < nblobs; i++)
		if (!strcmp(blobs[i].id, id))
			return &blobs[i];
	die("no blob '%s'", id);
	return NULL;
}

static void parse_in(int argc, char **w)
{
	struct proc *p = &procs[find_proc(w[1])];

	if (!strcmp(w[2], "null"))
		return;
	if (argc < 4 || strcmp(w[2], "blob"))
		die("bad 'in' line");
	p->in = find_blob(w[3]);
	for (int i = 4; i + 1 < argc; i += 2) {
		if (!strcmp(w[i], "chunk"))
			p->chunk = strtoul(w[i + 1], NULL, 10);
		else if (!strcmp(w[i], "every"))
			p->every_ms = strtol(w[i + 1], NULL, 10);
		else
			die("bad 'in' option '%s'", w[i]);
	}
}

static void parse_out(int argc, char **w)
{
	struct proc *p = &procs[find_proc(w[1])];

	if (!strcmp(w[2], "null"))
		return;
	if (argc < 4 || strcmp(w[2], "keep"))
		die("bad 'out' line");
	p->keep = true;
	p->cap = strtoul(w[3], NULL, 10);
	for (int i = 4; i + 1 < argc; i += 2) {
		if (!strcmp(w[i], "chunk"))
			p->out_chunk = strtoul(w[i + 1], NULL, 10);
		else if (!strcmp(w[i], "every"))
			p->out_every_ms = strtol(w[i + 1], NULL, 10);
		else if (!strcmp(w[i], "stall"))
			p->stall_ms = strtol(w[i + 1], NULL, 10);
		else
			die("bad 'out' option '%s'", w[i]);
	}
	if (!(p->buf = malloc(p->cap ? p->cap : 1)))
		die("out of memory");
}

static int remove_one(const char *path, const struct stat *st, int type,
                      struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

static void parse_plan(unsigned char *plan, size_t len)
{
	size_t off = 0;

	while (off < len) {
		char *line = (char *)plan + off, *nl, *w[MAX_ARGS + 4];
		int argc;

		nl = memchr(line, '\n', len - off);
		if (!nl)
			die("unterminated plan line");
		*nl = '\0';
		off = (size_t)(nl - (char *)plan) + 1;
		argc = words(line, w, MAX_ARGS + 4);
		if (!argc)
			continue;
		if (!strcmp(w[0], "blob") && argc == 3 && nblobs < MAX_BLOBS) {
			struct blob *b = &blobs[nblobs++];
			snprintf(b->id, sizeof(b->id), "%s", w[1]);
			b->len = strtoul(w[2], NULL, 10);
			if (b->len > len - off)
				die("blob '%s' is cut short", b->id);
			b->data = plan + off;
			off += b->len;
		} else if (!strcmp(w[0], "exe") && (argc == 3 || argc == 4) &&
		           nexes < MAX_EXES) {
			struct exe *e = &exes[nexes++];
			snprintf(e->id, sizeof(e->id), "%s", w[1]);
			e->student = argc == 4 && !strcmp(w[3], "student");
			e->fd = open(unescape(w[2]), O_PATH | O_CLOEXEC);
			if (e->fd < 0)
				die("%s: %s", w[2], strerror(errno));
		} else if (!strcmp(w[0], "proc") && argc >= 3 &&
		           nprocs < MAX_PROCS) {
			struct proc *p = &procs[nprocs++];
			size_t e;
			snprintf(p->name, sizeof(p->name), "%s", w[1]);
			for (e = 0; e < nexes && strcmp(exes[e].id, w[2]); e++)
				;
			if (e == nexes)
				die("no exe '%s'", w[2]);
			p->exe = (int)e;
			p->in_fd = p->out_fd = -1;
			for (int i = 3; i < argc && i - 3 < MAX_ARGS; i++)
				p->argv[i - 3] = unescape(w[i]);
		} else if (!strcmp(w[0], "in") && argc >= 3) {
			parse_in(argc, w);
		} else if (!strcmp(w[0], "out") && argc >= 3) {
			parse_out(argc, w);
		} else if (nsteps < MAX_STEPS &&
		           (!strcmp(w[0], "start") || !strcmp(w[0], "wait")) &&
		           argc == 2) {
			steps[nsteps].kind =
			    w[0][0] == 's' ? STEP_START : STEP_WAIT;
			steps[nsteps++].proc = find_proc(w[1]);
		} else if (!strcmp(w[0], "sleep") && argc == 2 &&
		           nsteps < MAX_STEPS) {
			steps[nsteps].kind = STEP_SLEEP;
			steps[nsteps++].ms = strtol(w[1], NULL, 10);
		} else if (!strcmp(w[0], "await") && (argc == 2 || argc == 6) &&
		           nsteps < MAX_STEPS) {
			struct step *st = &steps[nsteps++];
			st->kind = STEP_AWAIT;
			st->path = unescape(w[1]);
			st->want_at = argc == 6 ? strtol(w[3], NULL, 0) : -1;
			st->want =
			    argc == 6 ? (uint32_t)strtoul(w[5], NULL, 0) : 0;
		} else if (!strcmp(w[0], "window") && argc == 4 &&
		           nwindows < MAX_WINDOWS) {
			struct window *wi = &windows[nwindows++];
			wi->proc = find_proc(w[1]);
			snprintf(wi->from, sizeof(wi->from), "%s", w[2]);
			snprintf(wi->to, sizeof(wi->to), "%s", w[3]);
		} else if (!strcmp(w[0], "waitall") && nsteps < MAX_STEPS) {
			steps[nsteps++].kind = STEP_WAITALL;
		} else if (!strcmp(w[0], "hide") && argc == 2) {
			/* The programs are open: remove the copies so nothing
			 * the run starts can read or replace them. */
			nftw(unescape(w[1]), remove_one, 16,
			     FTW_DEPTH | FTW_PHYS);
		} else {
			die("bad plan line '%s'", w[0]);
		}
	}
}

/* An event of the run happened now: windows that start or end on it
 * take the group's CPU. */
static void event(const char *kind, const struct proc *p)
{
	char name[48];

	snprintf(name, sizeof(name), "%s:%s", kind, p->name);
	for (size_t i = 0; i < nwindows; i++) {
		struct window *w = &windows[i];
		double cpu = 0;
		if ((!w->begun && !strcmp(w->from, name)) ||
		    (w->begun && !w->done && !strcmp(w->to, name))) {
			if (witness_cpu(procs[w->proc].name, &cpu))
				cpu = -1;
		}
		if (!w->begun && !strcmp(w->from, name)) {
			w->begun = true;
			w->t0 = now_ms();
			w->cpu0 = cpu;
		} else if (w->begun && !w->done && !strcmp(w->to, name)) {
			w->done = true;
			w->t1 = now_ms();
			w->cpu1 = cpu;
		}
	}
}

static void start(struct proc *p)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, gate[2];
	int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	bool student = exes[p->exe].student;

	if (devnull < 0)
		die("/dev/null: %s", strerror(errno));
	if ((p->in && pipe2(in, O_CLOEXEC) < 0) ||
	    (p->keep && pipe2(out, O_CLOEXEC) < 0) ||
	    pipe2(gate, O_CLOEXEC) < 0)
		die("pipe: %s", strerror(errno));
	p->t_start = now_ms();
	p->pid = fork();
	if (p->pid < 0)
		die("fork: %s", strerror(errno));
	if (p->pid == 0) {
		sigset_t none;
		char go = 0;
		int e;
		signal(SIGPIPE, SIG_DFL);
		signal(SIGCHLD, SIG_DFL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		/* Not before it counts in its own group. */
		close(gate[1]);
		if (read(gate[0], &go, 1) != 1 || go != 'g')
			_exit(127);
		if (dup2(p->in ? in[0] : devnull, 0) < 0 ||
		    dup2(p->keep ? out[1] : devnull, 1) < 0)
			_exit(127);
		/* Without Landlock the student runs unconfined (the
		 * report says so); a failure where it exists ends here. */
		if (student && (e = confine_student()) && e != -EOPNOTSUPP) {
			fprintf(stderr, "conduct: cannot confine %s: %s\n",
			        p->name, strerror(-e));
			_exit(127);
		}
		execveat(exes[p->exe].fd, "", p->argv, environ, AT_EMPTY_PATH);
		fprintf(stderr, "conduct: cannot run %s: %s\n", p->name,
		        strerror(errno));
		_exit(127);
	}
	close(gate[0]);
	if (witness_account(p->pid, p->name))
		die("cannot count %s's CPU", p->name);
	if (write(gate[1], "g", 1) != 1)
		die("cannot start %s", p->name);
	close(gate[1]);
	if (student && confine_landlock_abi() == 0)
		confined = false;
	p->started = true;
	event("start", p);
	close(devnull);
	/* A stall holds output back for its time after the last start, so
	 * that every program of the run is going while it lasts. */
	for (size_t i = 0; i < nprocs; i++) {
		struct proc *q = &procs[i];
		double until = p->t_start + (double)q->stall_ms;
		if (q != p && q->out_fd >= 0 && q->stall_ms &&
		    q->next_read < until)
			q->next_read = until;
	}
	if (p->in) {
		close(in[0]);
		p->in_fd = in[1];
		fcntl(p->in_fd, F_SETFL, O_NONBLOCK);
		p->next_feed = p->t_start;
		if (!p->in->len) {
			close(p->in_fd);
			p->in_fd = -1;
		}
	}
	if (p->keep) {
		close(out[1]);
		p->out_fd = out[0];
		fcntl(p->out_fd, F_SETFL, O_NONBLOCK);
		p->next_read = p->t_start + (double)p->stall_ms;
	}
}

static void reap(void)
{
	for (size_t i = 0; i < nprocs; i++) {
		struct proc *p = &procs[i];
		int st;
		if (!p->started || p->exited)
			continue;
		if (wait4(p->pid, &st, WNOHANG, &p->ru) == p->pid) {
			p->exited = true;
			p->status = st;
			p->t_end = now_ms();
			event("end", p);
		}
	}
}

/* How many bytes p may be fed now (0: not yet), and when to look again. */
static size_t feed_allowance(struct proc *p, double now, double *wake)
{
	size_t left = p->in->len - p->in_off, n = left;

	if (p->every_ms > 0) {
		if (now < p->next_feed) {
			if (p->next_feed < *wake)
				*wake = p->next_feed;
			return 0;
		}
		n = p->chunk < left ? p->chunk : left;
	}
	return n;
}

static void feed(struct proc *p, double now)
{
	double wake = 1e18;
	size_t n = feed_allowance(p, now, &wake);
	ssize_t k;

	if (!n && p->in_off < p->in->len)
		return;
	k = n ? write(p->in_fd, p->in->data + p->in_off, n) : 0;
	if (k < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (k < 0) {
		p->in_off = p->in->len; /* EPIPE: it stopped reading */
	} else {
		p->in_off += (size_t)k;
		if (p->every_ms > 0 && (size_t)k == n)
			p->next_feed += (double)p->every_ms;
	}
	if (p->in_off == p->in->len) {
		close(p->in_fd);
		p->in_fd = -1;
		p->fed = true;
		p->t_fed = now;
		event("fed", p);
	}
}

/* Whether every other program of the run has ended or sleeps on a
 * futex (the ring's semaphores), not running nor waiting for us. */
static bool others_still(const struct proc *p)
{
	for (size_t i = 0; i < nprocs; i++) {
		const struct proc *q = &procs[i];
		struct wproc w;
		bool on_futex = false;
		if (q == p || !q->started || q->exited ||
		    witness_proc(q->pid, &w) || w.state == 'Z')
			continue;
		for (int k = 0; k < w.ntasks; k++) {
			char st = w.tasks[k].state;
			if (st == 'Z' || st == 'X')
				continue;
			if (st != 'S')
				return false;
			if (w.tasks[k].syscall == SYS_futex)
				on_futex = true;
		}
		if (!on_futex)
			return false;
	}
	return true;
}

/* A stall ends after its time once the others are still (the ring is as
 * full as they can make it, or they are done), on every run whatever the
 * load; never later than STALL_CAP_MS past its time. */
static bool stall_done(struct proc *p, double now)
{
	if (!p->stall_ms || p->t_stall_end)
		return true;
	if (now >= p->t_start + (double)p->stall_ms + STALL_CAP_MS)
		return true;
	return others_still(p);
}

static void drain(struct proc *p, double now)
{
	unsigned char tmp[65536];
	size_t n = sizeof(tmp);
	ssize_t k;

	if (now < p->next_read)
		return;
	if (p->stall_ms && !p->t_stall_end) {
		p->t_stall_end = now;
		event("stall", p);
	}
	if (p->out_every_ms > 0 && p->out_chunk < n)
		n = p->out_chunk;
	k = read(p->out_fd, tmp, n);
	if (k < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (k <= 0) {
		close(p->out_fd);
		p->out_fd = -1;
		return;
	}
	if (p->kept < p->cap) {
		size_t c =
		    (size_t)k < p->cap - p->kept ? (size_t)k : p->cap - p->kept;
		memcpy(p->buf + p->kept, tmp, c);
		p->kept += c;
	}
	p->total += (size_t)k;
	if (p->out_every_ms > 0)
		p->next_read = now + (double)p->out_every_ms;
}

/* Whether an await step's file is there and ready. */
static bool awaited(const struct step *s)
{
	uint32_t v;
	int fd = open(s->path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	bool ok = fd >= 0;

	if (fd >= 0 && s->want_at >= 0)
		ok = pread(fd, &v, sizeof(v), s->want_at) == sizeof(v) &&
		     v == s->want;
	if (fd >= 0)
		close(fd);
	return ok;
}

/* Tell the harness, through the process name, whether a program is yet
 * to start (a sleep or an await step is pending): a run that stands
 * still then is not hung. Paced input and output never count: they
 * only ever hold a program in a pipe, never on a semaphore. */
static void show_holding(bool holding)
{
	static int shown = -1;

	if (shown != holding)
		prctl(PR_SET_NAME, holding ? "conduct-hold" : "conduct", 0, 0,
		      0);
	shown = holding;
}

static bool finished(const struct proc *p)
{
	return p->exited && p->out_fd < 0;
}

/* Run the steps; returns when the last one is done. */
static void run(void)
{
	size_t si = 0;
	double sleep_until = -1;

	for (;;) {
		struct pollfd pf[2 * MAX_PROCS + 1];
		struct proc *who[2 * MAX_PROCS + 1];
		double now = now_ms(), wake = now + 1000;
		int n = 0, timeout;
		bool holding;

		reap();
		while (si < nsteps) {
			struct step *s = &steps[si];
			if (s->kind == STEP_START) {
				start(&procs[s->proc]);
			} else if (s->kind == STEP_SLEEP) {
				if (sleep_until < 0)
					sleep_until = now + (double)s->ms;
				if (now < sleep_until) {
					wake = sleep_until;
					break;
				}
				sleep_until = -1;
			} else if (s->kind == STEP_AWAIT) {
				if (!awaited(s)) {
					if (now + 1 < wake)
						wake = now + 1;
					break;
				}
			} else if (s->kind == STEP_WAIT) {
				if (!finished(&procs[s->proc]))
					break;
			} else {
				bool all = true;
				for (size_t i = 0; i < nprocs; i++)
					if (procs[i].started &&
					    !finished(&procs[i]))
						all = false;
				if (!all)
					break;
			}
			si++;
		}
		if (si == nsteps)
			return;
		holding = steps[si].kind == STEP_SLEEP ||
		          steps[si].kind == STEP_AWAIT;

		pf[n].fd = chld_pipe[0];
		pf[n].events = POLLIN;
		who[n++] = NULL;
		for (size_t i = 0; i < nprocs; i++) {
			struct proc *p = &procs[i];
			if (p->in_fd >= 0 && feed_allowance(p, now, &wake)) {
				pf[n].fd = p->in_fd;
				pf[n].events = POLLOUT;
				who[n++] = p;
			}
			if (p->out_fd >= 0) {
				if (now >= p->next_read && !stall_done(p, now))
					p->next_read = now + 5;
				if (now < p->next_read) {
					if (p->next_read < wake)
						wake = p->next_read;
				} else {
					pf[n].fd = p->out_fd;
					pf[n].events = POLLIN;
					who[n++] = p;
				}
			}
		}
		show_holding(holding);
		timeout = wake > now ? (int)(wake - now) + 1 : 0;
		if (poll(pf, (nfds_t)n, timeout) < 0 && errno != EINTR)
			die("poll: %s", strerror(errno));
		now = now_ms();
		for (int i = 0; i < n; i++) {
			if (!pf[i].revents)
				continue;
			if (!who[i]) {
				char junk[64];
				if (read(chld_pipe[0], junk, sizeof(junk)) <
				    0) {
					/* nothing pending */
				}
			} else if (pf[i].events & POLLOUT) {
				feed(who[i], now);
			} else {
				drain(who[i], now);
			}
		}
	}
}

/* What the run left in /dev/shm and SysV IPC under this uid. Names are
 * the programs' words: escaped, so that none can end the report. */
static void report_residue(void)
{
	DIR *d = opendir("/dev/shm");
	struct dirent *e;
	static const char *const sysv[] = { "shm", "sem", "msg" };

	while (d && (e = readdir(d))) {
		struct stat st;
		if (e->d_name[0] == '.' &&
		    (!e->d_name[1] || !strcmp(e->d_name, "..")))
			continue;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) ||
		    st.st_uid != getuid())
			continue;
		putf("shm ");
		put_word(e->d_name, strnlen(e->d_name, 200));
		putf(" %lld\n", (long long)st.st_size);
	}
	if (d)
		closedir(d);
	for (size_t i = 0; i < 3; i++) {
		char path[64], line[512];
		FILE *f;
		snprintf(path, sizeof(path), "/proc/sysvipc/%s", sysv[i]);
		if (!(f = fopen(path, "re")))
			continue;
		while (fgets(line, sizeof(line), f)) {
			long long key, id;
			unsigned long uid;
			/* key id perms ... uid is the 5th (msg, sem) or
			 * 8th (shm) column */
			unsigned long col[8];
			if (sscanf(line, "%lld %lld %lo %lu %lu %lu %lu %lu",
			           &key, &id, &col[0], &col[1], &col[2],
			           &col[3], &col[4], &col[5]) < 6)
				continue;
			uid = i == 0 ? col[5] : i == 1 ? col[2] : col[5];
			if (uid == getuid())
				putf("sysv %s %lld %lld\n", sysv[i], key, id);
		}
		fclose(f);
	}
}

static void report(void)
{
	putf("confined %s\n", confined ? "yes" : "no");
	for (size_t i = 0; i < nprocs; i++) {
		struct proc *p = &procs[i];
		double u = p->ru.ru_utime.tv_sec + p->ru.ru_utime.tv_usec / 1e6,
		       s = p->ru.ru_stime.tv_sec + p->ru.ru_stime.tv_usec / 1e6;
		if (!p->started)
			continue;
		if (witness_cpu(p->name, &p->cpu))
			p->cpu = -1;
		putf("proc %s start %.1f end %.1f %s %d utime %.4f "
		     "stime %.4f cpu %.4f\n",
		     p->name, p->t_start, p->t_end,
		     WIFSIGNALED(p->status) ? "signal" : "exit",
		     WIFSIGNALED(p->status) ? WTERMSIG(p->status)
		                            : WEXITSTATUS(p->status),
		     u, s, p->cpu);
		if (p->keep) {
			putf("out %s %zu %zu\n", p->name, p->total, p->kept);
			put(p->buf, p->kept);
			put("\n", 1);
		}
	}
	for (size_t i = 0; i < nwindows; i++) {
		const struct window *w = &windows[i];
		if (w->done && w->cpu0 >= 0 && w->cpu1 >= 0)
			putf("window %s %.1f %.4f\n", procs[w->proc].name,
			     w->t1 - w->t0, w->cpu1 - w->cpu0);
	}
	report_residue();
	putf("end\n");
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_chld,
		                .sa_flags = SA_RESTART | SA_NOCLDSTOP };
	unsigned char *plan;
	size_t len;

	/* Same uid as the programs: without this they could read its
	 * memory or take over its report through /proc. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	probe_name = "conduct";
	if (!witness_open())
		die("no witness: run me through the harness");
	probe_start_clock();
	signal(SIGPIPE, SIG_IGN);
	if (pipe2(chld_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		die("pipe: %s", strerror(errno));
	sigaction(SIGCHLD, &sa, NULL);
	read_all(&plan, &len, MAX_PLAN);
	parse_plan(plan, len);
	run();
	report();
	return 0;
}
