/*
 * trace - runs one program inside the sandbox and plays a trace script
 * against it: send signals (paced by the program's own output), expect
 * lines, write stdin, check exit status, children, zombies, CPU time and
 * what the sigprobe.so library saw. graders/trace.h documents the plan it
 * reads on stdin and the report it writes on stdout.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <regex.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "probe.h"

#define MAX_PLAN    (4u << 20)
#define MAX_STEPS   8192
#define MAX_WORDS   40
#define MAX_VARS    256
#define MAX_DEFER   8
#define MAX_LINE    4096
#define MAX_QUEUE   65536 /* lines read but not yet looked at */
#define FLOOD       (8u << 20)
#define TRANSCRIPT  (48u << 10)
#define SETTLE_MS   200
#define PROBE_FD    3 /* low: a test may allow few open files */
#define ACK_FD      4
#define MAX_REPORTS 32

struct step {
	int idx;
	int argc;
	char *argv[MAX_WORDS];
};

struct line {
	char *text;
	bool err; /* from stderr */
};

struct queue {
	struct line items[MAX_QUEUE];
	size_t head, n;
};

static struct step steps[MAX_STEPS];
static size_t nsteps;
static char *prog_argv[MAX_WORDS + 1];
static char *preload;
static bool window;

static struct {
	char name[32];
	char value[64];
} vars[MAX_VARS];
static size_t nvars;

static regex_t defers[MAX_DEFER];
static size_t ndefers;

/* The program and what came out of it. */
static pid_t pid = -1, sender = -1;
static int in_fd = -1, out_fd = -1, err_fd = -1, probe_fd = -1, ack_fd = -1;
static bool exited, flooded, restless, out_eof, err_eof;
static int status;
static struct queue fresh, backlog;
static char partial[2][MAX_LINE + 1];
static size_t partial_len[2];
static uint64_t total_out;
static unsigned long long lines_seen; /* lines of stdout so far */
static char transcript[TRANSCRIPT];
static size_t transcript_len, transcript_dropped;

/* What the probe library reported. */
static bool hello, hold, in_pause, raced;
static int raced_sig;
static char reports[MAX_REPORTS][96];
static size_t nreports;
static char probe_partial[256];
static size_t probe_len;

static char failure[1024];
static int failed_step = -1;

/* ---- the plan ------------------------------------------------------ */

static void parse_plan(char *text)
{
	char *save = NULL;

	for (char *l = strtok_r(text, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		char *w[MAX_WORDS + 2];
		int n = words(l, w, MAX_WORDS + 2);

		if (n == 0)
			continue;
		for (int i = 0; i < n; i++)
			unescape(w[i]);
		if (!strcmp(w[0], "prog") && n >= 2) {
			for (int i = 1; i < n && i <= MAX_WORDS; i++)
				prog_argv[i - 1] = w[i];
		} else if (!strcmp(w[0], "preload") && n == 2) {
			/* absolute: the program may change its directory */
			preload = realpath(w[1], NULL);
			if (!preload)
				die("%s: %s", w[1], strerror(errno));
		} else if (!strcmp(w[0], "window")) {
			window = true;
		} else if (!strcmp(w[0], "step") && n >= 3) {
			struct step *s;
			if (nsteps == MAX_STEPS)
				die("too many steps");
			s = &steps[nsteps++];
			s->idx = atoi(w[1]);
			s->argc = n - 2;
			for (int i = 2; i < n; i++)
				s->argv[i - 2] = w[i];
		} else {
			die("bad plan line '%s'", w[0]);
		}
	}
	if (!prog_argv[0])
		die("no program");
}

static int signum(const char *name)
{
	for (int s = 1; s < NSIG; s++) {
		const char *n = sigabbrev_np(s);
		if (n && !strcmp(n, name))
			return s;
	}
	die("unknown signal '%s'", name);
}

static const char *var(const char *name)
{
	for (size_t i = 0; i < nvars; i++)
		if (!strcmp(vars[i].name, name))
			return vars[i].value;
	return NULL;
}

static void set_var(const char *name, const char *value, size_t len)
{
	size_t i;

	for (i = 0; i < nvars && strcmp(vars[i].name, name); i++)
		;
	if (i == MAX_VARS)
		return;
	if (i == nvars)
		nvars++;
	snprintf(vars[i].name, sizeof(vars[i].name), "%s", name);
	snprintf(vars[i].value, sizeof(vars[i].value), "%.*s",
	         (int)(len < 63 ? len : 63), value);
}

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void fail(const char *fmt, ...)
{
	va_list ap;

	if (failure[0])
		return;
	va_start(ap, fmt);
	vsnprintf(failure, sizeof(failure), fmt, ap);
	va_end(ap);
}

/* A pattern with {name} replaced by the variable's value (regex-escaped).
 * false (and a failure) when a variable is not set. */
static bool compile(const char *pat, regex_t *re)
{
	char out[2048];
	size_t n = 0;
	int err;

	for (const char *p = pat; *p && n < sizeof(out) - 130; p++) {
		const char *close = *p == '{' ? strchr(p, '}') : NULL;
		char name[32];
		const char *v;
		if (!close || close - p - 1 >= (long)sizeof(name) ||
		    !isalpha((unsigned char)p[1])) {
			out[n++] = *p;
			continue;
		}
		snprintf(name, sizeof(name), "%.*s", (int)(close - p - 1),
		         p + 1);
		if (!(v = var(name))) {
			fail("the variable {%s} has no value yet", name);
			return false;
		}
		for (; *v && n < sizeof(out) - 4; v++) {
			if (strchr("\\^$.[]|()?*+{}", *v))
				out[n++] = '\\';
			out[n++] = *v;
		}
		p = close;
	}
	out[n] = '\0';
	if ((err = regcomp(re, out, REG_EXTENDED))) {
		fail("bad pattern /%s/", out);
		return false;
	}
	return true;
}

/* ---- the program --------------------------------------------------- */

static void transcribe(const char *s, size_t len, bool err)
{
	const char *tag = err ? "[stderr] " : "";
	size_t need = strlen(tag) + len + 1;

	if (transcript_len + need > sizeof(transcript)) {
		transcript_dropped += len + 1;
		return;
	}
	memcpy(transcript + transcript_len, tag, strlen(tag));
	transcript_len += strlen(tag);
	memcpy(transcript + transcript_len, s, len);
	transcript_len += len;
	transcript[transcript_len++] = '\n';
}

static void push(struct queue *q, char *text, bool err)
{
	if (q->n == MAX_QUEUE) {
		/* nobody will read that much: a flood */
		free(text);
		if (!flooded) {
			flooded = true;
			kill(pid, SIGKILL);
		}
		return;
	}
	q->items[(q->head + q->n++) % MAX_QUEUE] = (struct line){ text, err };
}

static bool pop(struct queue *q, struct line *l)
{
	if (!q->n)
		return false;
	*l = q->items[q->head];
	q->head = (q->head + 1) % MAX_QUEUE;
	q->n--;
	return true;
}

static void add_line(const char *s, size_t len, bool err)
{
	char *t = strndup(s, len);

	transcribe(s, len, err);
	if (!err)
		lines_seen++;
	if (t)
		push(&fresh, t, err);
}

static void take(int fd, bool err)
{
	char buf[8192];
	char *part = partial[err];
	size_t *plen = &partial_len[err];
	ssize_t k = read(fd, buf, sizeof(buf));

	if (k < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (k <= 0) {
		if (*plen)
			add_line(part, *plen, err);
		*plen = 0;
		*(err ? &err_eof : &out_eof) = true;
		return;
	}
	total_out += (uint64_t)k;
	if (total_out > FLOOD && !flooded) {
		flooded = true;
		kill(pid, SIGKILL);
	}
	for (ssize_t i = 0; i < k; i++) {
		if (buf[i] == '\n' || *plen == MAX_LINE) {
			add_line(part, *plen, err);
			*plen = 0;
			if (buf[i] == '\n')
				continue;
		}
		part[(*plen)++] = buf[i];
	}
}

static void probe_event(char *l)
{
	if (!strncmp(l, "hello ", 6)) {
		hello = true;
	} else if (!strcmp(l, "hold")) {
		hold = true;
	} else if (!strcmp(l, "pause")) {
		in_pause = true;
	} else if (!strcmp(l, "wake")) {
		in_pause = false;
	} else if ((!strncmp(l, "unsafe ", 7) || !strncmp(l, "blocking ", 9)) &&
	           nreports < MAX_REPORTS) {
		snprintf(reports[nreports++], sizeof(reports[0]), "%.95s", l);
	}
}

static void take_probe(void)
{
	char buf[4096];
	ssize_t k = read(probe_fd, buf, sizeof(buf));

	if (k <= 0) {
		if (k == 0 || (errno != EAGAIN && errno != EINTR)) {
			close(probe_fd);
			probe_fd = -1;
		}
		return;
	}
	for (ssize_t i = 0; i < k; i++) {
		if (buf[i] == '\n' || probe_len == sizeof(probe_partial) - 1) {
			probe_partial[probe_len] = '\0';
			probe_event(probe_partial);
			probe_len = 0;
			continue;
		}
		probe_partial[probe_len++] = buf[i];
	}
}

static void check_exit(void)
{
	if (!exited && waitpid(pid, &status, WNOHANG) == pid)
		exited = true;
}

/* Wait for anything from the program, at most until `until` (ms). */
static void pump(double until)
{
	struct pollfd p[3];
	int n = 0, wait;
	double left = until - now_ms();

	check_exit();
	if (out_fd >= 0 && !out_eof)
		p[n++] = (struct pollfd){ .fd = out_fd, .events = POLLIN };
	if (err_fd >= 0 && !err_eof)
		p[n++] = (struct pollfd){ .fd = err_fd, .events = POLLIN };
	if (probe_fd >= 0)
		p[n++] = (struct pollfd){ .fd = probe_fd, .events = POLLIN };
	/* Exits are noticed by polling: wake at least every 2 ms. */
	wait = left <= 0 ? 0 : left > 2 ? 2 : (int)left + 1;
	if (poll(p, (nfds_t)n, wait) <= 0)
		return;
	for (int i = 0; i < n; i++) {
		if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		if (p[i].fd == probe_fd)
			take_probe();
		else
			take(p[i].fd, p[i].fd == err_fd);
	}
}

/* Everything that is already there, without waiting. */
static void drain(void)
{
	for (int i = 0; i < 64; i++) {
		size_t before = fresh.n + (size_t)hold + nreports;
		pump(now_ms());
		if (fresh.n + (size_t)hold + nreports == before)
			break;
	}
}

static void start(void)
{
	int in[2], out[2], err[2], rep[2], ack[2] = { -1, -1 };

	/* Hold fds 3 and 4, so that no pipe end is there when the child
	 * moves the probe's ends onto them. */
	while (open("/dev/null", O_RDONLY | O_CLOEXEC) < ACK_FD)
		;
	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0 ||
	    pipe2(err, O_CLOEXEC) < 0 || pipe2(rep, O_CLOEXEC) < 0 ||
	    (window && pipe2(ack, O_CLOEXEC) < 0))
		die("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		sigset_t none;
		char fdv[16];

		signal(SIGPIPE, SIG_DFL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		if (dup2(in[0], 0) < 0 || dup2(out[1], 1) < 0 ||
		    dup2(err[1], 2) < 0 || dup2(rep[1], PROBE_FD) < 0 ||
		    (window && dup2(ack[0], ACK_FD) < 0))
			_exit(127);
		if (preload) {
			setenv("LD_PRELOAD", preload, 1);
			snprintf(fdv, sizeof(fdv), "%d", PROBE_FD);
			setenv("IPCGRADE_PROBE_FD", fdv, 1);
			if (window) {
				snprintf(fdv, sizeof(fdv), "%d", ACK_FD);
				setenv("IPCGRADE_PROBE_ACK", fdv, 1);
			}
		}
		execv(prog_argv[0], prog_argv);
		fprintf(stderr, "cannot run %s: %s\n", prog_argv[0],
		        strerror(errno));
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	close(err[1]);
	close(rep[1]);
	in_fd = in[1];
	out_fd = out[0];
	err_fd = err[0];
	probe_fd = rep[0];
	if (window) {
		close(ack[0]);
		ack_fd = ack[1];
	}
	fcntl(out_fd, F_SETFL, O_NONBLOCK);
	fcntl(err_fd, F_SETFL, O_NONBLOCK);
	fcntl(probe_fd, F_SETFL, O_NONBLOCK);
	{
		char v[24];
		int n = snprintf(v, sizeof(v), "%d", (int)pid);
		set_var("pid", v, (size_t)n);
	}
}

/* ---- what /proc says about it -------------------------------------- */

static bool stat_fields(pid_t p, char *state, unsigned long long *ticks,
                        int *ppid)
{
	char path[64], buf[1024], *rp;
	unsigned long long ut = 0, st = 0;
	int pp = 0, fd;
	ssize_t k;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)p);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return false;
	k = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (k <= 0)
		return false;
	buf[k] = '\0';
	/* the name may hold spaces and parentheses: parse after the last ')' */
	if (!(rp = strrchr(buf, ')')))
		return false;
	if (sscanf(rp + 2,
	           "%c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", state,
	           &pp, &ut, &st) != 4)
		return false;
	if (ticks)
		*ticks = ut + st;
	if (ppid)
		*ppid = pp;
	return true;
}

static char state_of(pid_t p)
{
	char s = '?';

	return stat_fields(p, &s, NULL, NULL) ? s : '?';
}

/* The children of p (from every thread), at most max. */
static size_t children_of(pid_t p, pid_t *out, size_t max)
{
	char path[64];
	DIR *d;
	struct dirent *e;
	size_t n = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)p);
	if (!(d = opendir(path)))
		return 0;
	while ((e = readdir(d)) && n < max) {
		char cpath[300];
		FILE *f;
		int c;
		if (e->d_name[0] == '.')
			continue;
		snprintf(cpath, sizeof(cpath), "/proc/%d/task/%s/children",
		         (int)p, e->d_name);
		if (!(f = fopen(cpath, "re")))
			continue;
		while (n < max && fscanf(f, "%d", &c) == 1)
			out[n++] = c;
		fclose(f);
	}
	closedir(d);
	return n;
}

static bool blocked_mask(pid_t p, uint64_t *mask)
{
	char path[64], line[256];
	FILE *f;
	bool found = false;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)p);
	if (!(f = fopen(path, "re")))
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "SigBlk: %" SCNx64, mask) == 1;
	fclose(f);
	return found;
}

/* ---- the steps ----------------------------------------------------- */

static const char *ending(void)
{
	static char text[160];

	if (flooded)
		return "the program flooded its output (more than 8 MiB or "
		       "65536 unread lines) and was stopped";
	if (!exited)
		return "the program closed its output";
	if (WIFSIGNALED(status))
		snprintf(text, sizeof(text), "the program was killed by SIG%s",
		         sigabbrev_np(WTERMSIG(status))
		             ? sigabbrev_np(WTERMSIG(status))
		             : "?");
	else
		snprintf(text, sizeof(text),
		         "the program exited with status %d",
		         WEXITSTATUS(status));
	return text;
}

/* The next line (stdout only unless either), 1; 0 at the deadline; -1
 * when the program's output ended. */
static int next_line(double until, bool either, struct line *l)
{
	for (;;) {
		while (pop(&fresh, l)) {
			if (!l->err || either)
				return 1;
			free(l->text);
		}
		if (out_eof && (either ? err_eof : true)) {
			/* closed: it is exiting; give it a moment to say how */
			double grace = now_ms() + 200;
			check_exit();
			while (!exited && now_ms() < grace)
				pump(now_ms() + 1);
			return -1;
		}
		if (now_ms() >= until)
			return 0;
		pump(until);
	}
}

static bool matches(regex_t *re, const char *text, char *const *names, int n)
{
	regmatch_t m[10];

	if (regexec(re, text, 10, m, 0))
		return false;
	for (int i = 0; i < n && i < 9; i++)
		if (m[i + 1].rm_so >= 0)
			set_var(names[i], text + m[i + 1].rm_so,
			        (size_t)(m[i + 1].rm_eo - m[i + 1].rm_so));
	return true;
}

static bool deferred(const char *text)
{
	for (size_t i = 0; i < ndefers; i++)
		if (!regexec(&defers[i], text, 0, NULL, 0))
			return true;
	return false;
}

/* A line of the backlog that matches re, taken out of it. */
static bool from_backlog(regex_t *re, char *const *names, int n)
{
	for (size_t i = 0; i < backlog.n; i++) {
		struct line *l = &backlog.items[(backlog.head + i) % MAX_QUEUE];
		if (matches(re, l->text, names, n)) {
			free(l->text);
			for (size_t j = i; j + 1 < backlog.n; j++)
				backlog.items[(backlog.head + j) % MAX_QUEUE] =
				    backlog.items[(backlog.head + j + 1) %
				                  MAX_QUEUE];
			backlog.n--;
			return true;
		}
	}
	return false;
}

static void no_line(int got, const char *want, long ms)
{
	if (got < 0)
		fail("%s before a line matching /%s/ came", ending(), want);
	else if (raced && in_pause)
		fail("no line matching /%s/ within %ld ms: SIG%s arrived just "
		     "before pause() began, its handler ran, and pause() then "
		     "waited for a signal that had already come (a lost "
		     "wake-up). Block the signal, check the flag, and wait "
		     "with sigsuspend(), which unblocks and waits in one step",
		     want, ms, sigabbrev_np(raced_sig));
	else if (in_pause)
		fail("no line matching /%s/ within %ld ms; the program waits "
		     "in pause()",
		     want, ms);
	else if (!total_out)
		fail("no line matching /%s/ within %ld ms, and nothing at all "
		     "was printed: stdout to a pipe is fully buffered, so "
		     "flush each line (fflush, or setvbuf(stdout, NULL, "
		     "_IOLBF, 0))",
		     want, ms);
	else
		fail("no line matching /%s/ within %ld ms", want, ms);
}

/* expect|await MS either|stdout RE VARS... */
static void step_expect(const struct step *s, bool skip)
{
	long ms = atol(s->argv[1]);
	bool either = !strcmp(s->argv[2], "either");
	double until = now_ms() + (double)ms;
	char *last = NULL;
	regex_t re;
	struct line l;
	int got;

	if (!compile(s->argv[3], &re))
		return;
	if (from_backlog(&re, s->argv + 4, s->argc - 4)) {
		regfree(&re);
		return;
	}
	while ((got = next_line(until, either, &l)) > 0) {
		if (matches(&re, l.text, s->argv + 4, s->argc - 4)) {
			free(l.text);
			free(last);
			regfree(&re);
			return;
		}
		if (deferred(l.text)) {
			push(&backlog, l.text, l.err);
			continue;
		}
		if (!skip) {
			fail("expected a line matching /%s/, got \"%.200s\"",
			     s->argv[3], l.text);
			free(l.text);
			regfree(&re);
			return;
		}
		free(last);
		last = l.text;
	}
	regfree(&re);
	if (last && got == 0)
		fail("no line matching /%s/ within %ld ms (the last line was "
		     "\"%.200s\")",
		     s->argv[3], ms, last);
	else
		no_line(got, s->argv[3], ms);
	free(last);
}

/* group MS RE... : the next lines match these, in any order. */
static void step_group(const struct step *s)
{
	long ms = atol(s->argv[1]);
	double until = now_ms() + (double)ms;
	int n = s->argc - 2;
	regex_t re[MAX_WORDS];
	bool done[MAX_WORDS] = { false };
	int left = n, compiled = 0;
	struct line l;
	int got = 1;

	for (; compiled < n; compiled++)
		if (!compile(s->argv[2 + compiled], &re[compiled]))
			goto out;
	for (int i = 0; i < n; i++)
		if (from_backlog(&re[i], NULL, 0)) {
			done[i] = true;
			left--;
		}
	while (left && (got = next_line(until, false, &l)) > 0) {
		int i;
		for (i = 0; i < n; i++)
			if (!done[i] && matches(&re[i], l.text, NULL, 0))
				break;
		if (i < n) {
			done[i] = true;
			left--;
		} else if (deferred(l.text)) {
			push(&backlog, l.text, l.err);
			continue;
		} else {
			fail("got \"%.200s\", which is none of the %d lines "
			     "still expected",
			     l.text, left);
			free(l.text);
			goto out;
		}
		free(l.text);
	}
	if (left) {
		for (int i = 0; i < n; i++)
			if (!done[i]) {
				if (got < 0)
					fail("%s with %d of %d lines still "
					     "missing, e.g. /%s/",
					     ending(), left, n, s->argv[2 + i]);
				else
					fail("%d of %d lines missing after %ld "
					     "ms, e.g. /%s/",
					     left, n, ms, s->argv[2 + i]);
				break;
			}
	}
out:
	for (int i = 0; i < compiled; i++)
		regfree(&re[i]);
}

/* count MS FROM MIN ITEM END : numbered lines up by one, then the end
 * line carrying the last number. */
static void step_count(const struct step *s)
{
	long ms = atol(s->argv[1]), next = atol(s->argv[2]);
	long min = atol(s->argv[3]), seen = 0;
	double until = now_ms() + (double)ms;
	regex_t item, end;
	regmatch_t m[2];
	struct line l;
	int got;

	if (!compile(s->argv[4], &item))
		return;
	if (!compile(s->argv[5], &end)) {
		regfree(&item);
		return;
	}
	while ((got = next_line(until, false, &l)) > 0) {
		if (!regexec(&item, l.text, 2, m, 0) && m[1].rm_so >= 0) {
			long v = atol(l.text + m[1].rm_so);
			if (v != next) {
				fail("\"%.100s\" where %ld was due: %s", l.text,
				     next,
				     v > next ? "a number was skipped"
				              : "a number came twice");
				free(l.text);
				goto out;
			}
			next++;
			seen++;
		} else if (!regexec(&end, l.text, 2, m, 0) && m[1].rm_so >= 0) {
			long v = atol(l.text + m[1].rm_so);
			if (v != next - 1)
				fail("\"%.100s\" but the last count printed "
				     "was %ld",
				     l.text, next - 1);
			else if (seen < min)
				fail("only %ld numbered lines came back (at "
				     "least %ld expected)",
				     seen, min);
			free(l.text);
			goto out;
		} else if (deferred(l.text)) {
			push(&backlog, l.text, l.err);
			continue;
		} else {
			fail("unexpected line \"%.200s\"", l.text);
			free(l.text);
			goto out;
		}
		free(l.text);
	}
	no_line(got, s->argv[5], ms);
out:
	regfree(&item);
	regfree(&end);
}

/* Let a pause() held by the probe go on, and wait until it is in. */
static void release_hold(void)
{
	double until = now_ms() + 1000;

	drain();
	if (!hold || ack_fd < 0)
		return;
	hold = false;
	in_pause = false;
	if (write(ack_fd, "g", 1) < 0) {
		/* the program is gone */
	}
	while (!in_pause && !exited && now_ms() < until)
		pump(until);
}

/* Wait (a while) until the program sleeps, so that a signal finds it
 * waiting, as a person at a keyboard would. A program that never sleeps
 * (it spins) gets its signals without waiting, after the first time. */
static void settle(void)
{
	double until = now_ms() + SETTLE_MS;

	if (window)
		release_hold();
	while (!restless && !exited) {
		char st = state_of(pid);
		if (st == 'S' || st == 'D' || st == 'T' || st == 't' ||
		    st == '?' || st == 'Z')
			return;
		if (now_ms() >= until) {
			restless = true;
			return;
		}
		pump(now_ms() + 1);
	}
}

static void send(int sig)
{
	if (!exited && kill(pid, sig) < 0 && errno != ESRCH)
		fail("kill: %s", strerror(errno));
}

/* race SIG: into the pause() window when the program waits that way. */
static void step_race(int sig)
{
	double until = now_ms() + 2000;

	drain();
	if (!hello && !exited) {
		fail("the probe library could not be loaded into the program "
		     "(a static binary?), so the race could not be run");
		return;
	}
	for (;;) {
		drain();
		if (exited)
			return;
		if (hold) {
			send(sig); /* pending before the byte: handled first */
			raced = true;
			raced_sig = sig;
			release_hold();
			return;
		}
		if (state_of(pid) == 'S') {
			drain(); /* "hold" is written before its read() */
			if (!hold) {
				send(sig);
				return;
			}
			continue;
		}
		if (now_ms() >= until) {
			send(sig);
			return;
		}
		pump(now_ms() + 1);
	}
}

/* burst SIG N LINES MS: a separate process sends SIG in a tight loop, N
 * times at least, and on until LINES lines came back (or MS passed):
 * under load the program may handle only one signal of a short burst. */
static void step_burst(int sig, long count, long lines, long ms)
{
	double until = now_ms() + (double)ms;
	unsigned long long lines0 = lines_seen;
	struct {
		volatile long sent;
		volatile int stop;
	} * shared;
	cpu_set_t all, one;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	bool pinned = false;
	int st;

	/* On two CPUs, the program on one and the sender on the other:
	 * the signals then arrive while the program runs, as from a fast
	 * sender, not one at a time between its steps. */
	if (ncpu > 1 && sched_getaffinity(pid, sizeof(all), &all) == 0 &&
	    CPU_COUNT(&all) > 1) {
		int first = -1;
		for (int c = 0; c < CPU_SETSIZE && first < 0; c++)
			if (CPU_ISSET(c, &all))
				first = c;
		CPU_ZERO(&one);
		CPU_SET(first, &one);
		pinned = sched_setaffinity(pid, sizeof(one), &one) == 0;
		CPU_CLR(first, &all);
	}
	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
	              MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED) {
		fail("mmap: %s", strerror(errno));
		return;
	}
	sender = fork();
	if (sender < 0) {
		fail("fork: %s", strerror(errno));
		munmap(shared, sizeof(*shared));
		return;
	}
	if (sender == 0) {
		if (pinned)
			sched_setaffinity(0, sizeof(all), &all);
		for (long i = 0; i < count || !shared->stop; i++) {
			if (kill(pid, sig) < 0)
				_exit(1);
			shared->sent = i + 1;
		}
		_exit(0);
	}
	while (waitpid(sender, &st, WNOHANG) == 0) {
		if (now_ms() >= until + 1000) {
			kill(sender,
			     SIGKILL); /* it does not stop: a bug here */
			waitpid(sender, &st, 0);
			break;
		}
		if (shared->sent >= count &&
		    (lines_seen - lines0 >= (unsigned long long)lines ||
		     now_ms() >= until || exited))
			shared->stop = 1;
		pump(now_ms() + 1);
	}
	munmap(shared, sizeof(*shared));
	sender = -1;
	/* back to every CPU the runner may use */
	if (pinned && sched_getaffinity(getpid(), sizeof(all), &all) == 0)
		sched_setaffinity(pid, sizeof(all), &all);
}

static void step_write(const char *text)
{
	size_t len = strlen(text);

	while (len && in_fd >= 0) {
		ssize_t k = write(in_fd, text, len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			fail("the program does not read its input (%s)",
			     strerror(errno));
			return;
		}
		text += k;
		len -= (size_t)k;
	}
}

static void step_stop(void)
{
	double until = now_ms() + 2000;

	send(SIGSTOP);
	while (!exited && state_of(pid) != 'T' && now_ms() < until)
		pump(now_ms() + 1);
	if (!exited && state_of(pid) != 'T')
		fail("the program did not stop on SIGSTOP");
}

/* children MS: until every child has exited (is a zombie or gone). */
static void step_children_exited(long ms)
{
	double until = now_ms() + (double)ms;
	pid_t kids[256];

	for (;;) {
		size_t n = children_of(pid, kids, 256), running = 0;
		for (size_t i = 0; i < n; i++)
			if (state_of(kids[i]) != 'Z')
				running++;
		if (!running)
			return;
		if (now_ms() >= until) {
			fail("%zu children of the program still run after %ld "
			     "ms",
			     running, ms);
			return;
		}
		pump(now_ms() + 2);
	}
}

/* gone PID MS: until that process has exited (a zombie, or reaped). */
static void step_gone(const char *who, long ms)
{
	double until = now_ms() + (double)ms;
	const char *v = who;
	char name[32];
	pid_t p;

	if (who[0] == '{' && strlen(who) < sizeof(name) + 1) {
		snprintf(name, sizeof(name), "%.*s", (int)strlen(who) - 2,
		         who + 1);
		if (!(v = var(name))) {
			fail("the variable %s has no value yet", who);
			return;
		}
	}
	p = atoi(v);
	while (p > 0 && state_of(p) != 'Z' && state_of(p) != '?') {
		if (now_ms() >= until) {
			fail("process %d still runs after %ld ms", (int)p, ms);
			return;
		}
		pump(now_ms() + 1);
	}
}

/* zombies MS: until no child of the program is a zombie. */
static void step_no_zombies(long ms)
{
	double until = now_ms() + (double)ms;
	pid_t kids[256];

	for (;;) {
		size_t n = children_of(pid, kids, 256), z = 0;
		pid_t one = 0;
		for (size_t i = 0; i < n; i++)
			if (state_of(kids[i]) == 'Z') {
				z++;
				one = kids[i];
			}
		if (!z)
			return;
		if (now_ms() >= until) {
			fail("%zu zombie children (e.g. pid %d) are still "
			     "unreaped %ld ms later: reap every exited child "
			     "with waitpid(-1, &status, WNOHANG) in a loop",
			     z, (int)one, ms);
			return;
		}
		pump(now_ms() + 2);
	}
}

/* exit CODE MS */
static void step_exit(long code, long ms)
{
	double t = now_ms(), until = t + (double)ms;

	while (!exited && now_ms() < until)
		pump(until);
	if (!exited) {
		fail("the program was still running %ld ms later", ms);
		return;
	}
	if (flooded || WIFSIGNALED(status) || WEXITSTATUS(status) != code)
		fail("%s, not with status %ld", ending(), code);
}

/* orphans: nothing the program started outlives it. */
static void step_orphans(void)
{
	pid_t kids[64];
	size_t n;

	if (!exited) {
		fail("the program is still running");
		return;
	}
	n = children_of(getpid(), kids, 64);
	for (size_t i = 0; i < n; i++)
		if (kids[i] != pid && kids[i] != sender) {
			fail("the program exited while its child %d was still "
			     "%s: wait for every child before exiting",
			     (int)kids[i],
			     state_of(kids[i]) == 'Z' ? "unreaped" : "running");
			return;
		}
}

/* idle MS PERCENT */
static void step_idle(long ms, long pct)
{
	unsigned long long a, b;
	double t = now_ms(), until = t + (double)ms, used, hz;
	char st;

	if (!stat_fields(pid, &st, &a, NULL)) {
		fail("%s", ending());
		return;
	}
	while (now_ms() < until)
		pump(until);
	if (!stat_fields(pid, &st, &b, NULL)) {
		fail("%s", ending());
		return;
	}
	hz = (double)sysconf(_SC_CLK_TCK);
	used = (double)(b - a) / hz;
	if (used * 1000 > (double)pct * (now_ms() - t) / 100)
		fail("it used %.2f s of CPU in %.2f s while it had nothing to "
		     "do (at most %ld%% allowed): it spins instead of waiting "
		     "in sigsuspend()",
		     used, (now_ms() - t) / 1000, pct);
}

static void step_blocked(int sig)
{
	uint64_t mask;

	settle();
	if (exited) {
		fail("%s", ending());
		return;
	}
	if (!blocked_mask(pid, &mask))
		fail("cannot read the program's signal mask");
	else if (!(mask >> (sig - 1) & 1))
		fail("SIG%s is not blocked while the program waits here",
		     sigabbrev_np(sig));
}

static void step_handlers(const char *kind)
{
	char list[700] = "";
	size_t n = 0;

	drain();
	if (!hello) {
		fail("the probe library could not be loaded into the program "
		     "(a static binary?), so its handlers were not checked");
		return;
	}
	for (size_t i = 0; i < nreports; i++) {
		char what[16], fn[32], sig[16];
		if (sscanf(reports[i], "%15s %31s %15s", what, fn, sig) != 3 ||
		    strcmp(what, kind))
			continue;
		n++;
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
		         "%s%s() in the SIG%s handler", n > 1 ? ", " : "", fn,
		         sig);
	}
	if (!n)
		return;
	if (!strcmp(kind, "unsafe"))
		fail("%s: not async-signal-safe (a handler may interrupt the "
		     "same function in the main program). Set a volatile "
		     "sig_atomic_t flag and do the work in the main loop, or "
		     "use write(2)",
		     list);
	else
		fail("%s: a handler that waits holds up every other signal. "
		     "Use waitpid(-1, &status, WNOHANG) in a loop",
		     list);
}

static void run_step(const struct step *s)
{
	const char *v = s->argv[0];

	if (!strcmp(v, "expect") && s->argc >= 4)
		step_expect(s, false);
	else if (!strcmp(v, "await") && s->argc >= 4)
		step_expect(s, true);
	else if (!strcmp(v, "group") && s->argc >= 3)
		step_group(s);
	else if (!strcmp(v, "count") && s->argc == 6)
		step_count(s);
	else if (!strcmp(v, "defer") && s->argc == 2) {
		if (ndefers < MAX_DEFER) {
			regex_t *re = &defers[ndefers];
			if (compile(s->argv[1], re))
				ndefers++;
		}
	} else if (!strcmp(v, "kill") && s->argc == 2) {
		settle();
		send(signum(s->argv[1]));
	} else if (!strcmp(v, "send") && s->argc == 2)
		send(signum(s->argv[1]));
	else if (!strcmp(v, "race") && s->argc == 2)
		step_race(signum(s->argv[1]));
	else if (!strcmp(v, "burst") && s->argc == 5)
		step_burst(signum(s->argv[1]), atol(s->argv[2]),
		           atol(s->argv[3]), atol(s->argv[4]));
	else if (!strcmp(v, "write") && s->argc == 2)
		step_write(s->argv[1]);
	else if (!strcmp(v, "close") && s->argc == 1) {
		close(in_fd);
		in_fd = -1;
	} else if (!strcmp(v, "stop") && s->argc == 1)
		step_stop();
	else if (!strcmp(v, "cont") && s->argc == 1)
		send(SIGCONT);
	else if (!strcmp(v, "children") && s->argc == 2)
		step_children_exited(atol(s->argv[1]));
	else if (!strcmp(v, "gone") && s->argc == 3)
		step_gone(s->argv[1], atol(s->argv[2]));
	else if (!strcmp(v, "zombies") && s->argc == 2)
		step_no_zombies(atol(s->argv[1]));
	else if (!strcmp(v, "exit") && s->argc == 3)
		step_exit(atol(s->argv[1]), atol(s->argv[2]));
	else if (!strcmp(v, "orphans") && s->argc == 1)
		step_orphans();
	else if (!strcmp(v, "idle") && s->argc == 3)
		step_idle(atol(s->argv[1]), atol(s->argv[2]));
	else if (!strcmp(v, "blocked") && s->argc == 2)
		step_blocked(signum(s->argv[1]));
	else if (!strcmp(v, "alive") && s->argc == 1) {
		drain();
		if (exited)
			fail("%s", ending());
	} else if (!strcmp(v, "handlers") && s->argc == 2)
		step_handlers(s->argv[1]);
	else if (!strcmp(v, "sleep") && s->argc == 2) {
		double until = now_ms() + (double)atol(s->argv[1]);
		while (now_ms() < until)
			pump(until);
	} else
		die("bad step '%s' (%d words)", v, s->argc);
}

static void report(size_t done)
{
	if (failure[0]) {
		putf("fail %d ", failed_step);
		put_word(failure, strlen(failure));
		put("\n", 1);
	}
	putf("steps %zu\n", done);
	if (exited)
		putf("%s %d\n", WIFSIGNALED(status) ? "signal" : "exit",
		     WIFSIGNALED(status) ? WTERMSIG(status)
		                         : WEXITSTATUS(status));
	putf("probe %s\n", hello ? "loaded" : "absent");
	/* The probe lives in the program: its words are only words. */
	for (size_t i = 0; i < nreports; i++) {
		char *w[3];
		if (words(reports[i], w, 3) != 3)
			continue;
		put_word(w[0], strlen(w[0]));
		put(" ", 1);
		put_word(w[1], strlen(w[1]));
		put(" ", 1);
		put_word(w[2], strlen(w[2]));
		put("\n", 1);
	}
	putf("transcript %zu %zu\n", transcript_len, transcript_dropped);
	put(transcript, transcript_len);
	putf("end\n");
}

int main(void)
{
	unsigned char *plan;
	size_t len, done = 0;

	/* Same uid as the program: without this it could read this
	 * process's memory or take over its report through /proc. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	probe_name = "trace";
	if (getuid() == 0)
		die("refusing to run a program as root");
	/* Orphans of the program come here, where `orphans` sees them. */
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	signal(SIGPIPE, SIG_IGN);
	probe_start_clock();
	read_all(&plan, &len, MAX_PLAN);
	parse_plan((char *)plan);
	start();
	for (; done < nsteps && !failure[0]; done++) {
		run_step(&steps[done]);
		if (failure[0])
			failed_step = steps[done].idx;
	}
	if (failure[0])
		done--;
	drain();
	if (!exited) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		exited = false; /* report only an exit the program chose */
	}
	report(done);
	return 0;
}
