/*
 * steps.c - the steps of a trace script: lines expected, signals sent,
 * stdin written, and what the kernel says of the program checked (its
 * children, zombies, masks, CPU, handlers). A step that fails calls fail()
 * once; run_step() dispatches on the step's verb.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "probe.h"
#include "trace.h"

#define MAX_DEFER 8

static regex_t defers[MAX_DEFER];
static size_t ndefers;
static bool restless; /* the program did not sleep when a kill was due */

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
	const char *lost = got >= 0 ? lost_wakeup() : NULL;
	const char *in = got >= 0 && !lost ? waiting_in() : NULL;

	if (got < 0)
		fail("%s before a line matching /%s/ came", ending(), want);
	else if (lost)
		fail("no line matching /%s/ within %ld ms: %s", want, ms, lost);
	else if (!total_out && writes_made() == 0)
		fail("no line matching /%s/ within %ld ms: the program has not "
		     "called write() at all%s%s%s; if it printed with printf, "
		     "the line waits in stdio's buffer (stdout to a pipe is "
		     "fully buffered: fflush each line, or setvbuf(stdout, "
		     "NULL, _IOLBF, 0))",
		     want, ms, in ? ", and waits in " : "", in ? in : "",
		     in ? "()" : "");
	else if (!total_out)
		fail("no line matching /%s/ within %ld ms, and nothing came on "
		     "stdout or stderr%s%s%s",
		     want, ms, in ? "; the program waits in " : "",
		     in ? in : "", in ? "()" : "");
	else if (in)
		fail("no line matching /%s/ within %ld ms; the program waits "
		     "in %s()",
		     want, ms, in);
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
				     v > next        ? "a number was skipped"
				     : v + 1 == next ? "a number came twice"
				                     : "the count went back");
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

/* Wait (a while) until the program sleeps, so that a signal finds it
 * waiting, as a person at a keyboard would. A program that never sleeps
 * (it spins) gets its signals without waiting, after the first time. */
static void settle(void)
{
	double until = now_ms() + SETTLE_MS;

	drain();
	while (!restless && !exited) {
		if (program_sleeps())
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
	/* Whether the handler probe still watches, before a handler runs. */
	probe_watch();
	if (!exited && kill(pid, sig) < 0 && errno != ESRCH)
		fail("kill: %s", strerror(errno));
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
			fail("the program exited while a process it started "
			     "(pid %d) was still %s: wait for every child "
			     "before exiting",
			     (int)kids[i],
			     state_of(kids[i]) == 'Z' ? "unreaped" : "running");
			return;
		}
}

/* idle MS PERCENT: the CPU of everything the program ever had (its
 * accounting group), over just this window. */
static void step_idle(long ms, long pct)
{
	double t = now_ms(), until = t + (double)ms, a, b, used;

	if (!program_cpu(&a)) {
		fail("the program's CPU time could not be read");
		return;
	}
	while (now_ms() < until)
		pump(until);
	if (!program_cpu(&b)) {
		fail("the program's CPU time could not be read");
		return;
	}
	used = b - a;
	if (used * 1000 > (double)pct * (now_ms() - t) / 100)
		fail("it used %.2f s of CPU in %.2f s while it had nothing to "
		     "do (at most %ld%% allowed), counting every process it "
		     "started: something of it runs instead of sleeping until "
		     "a signal comes (sigsuspend)",
		     used, (now_ms() - t) / 1000, pct);
}

/* blocked SIG: in every thread's mask, since any thread that does not
 * block a signal can take it. */
static void step_blocked(int sig)
{
	uint64_t masks[64];
	int tids[64], n;

	settle();
	if (exited) {
		fail("%s", ending());
		return;
	}
	if ((n = masks_of(pid, masks, tids, 64)) <= 0) {
		fail("cannot read the program's signal masks");
		return;
	}
	for (int i = 0; i < n; i++) {
		if (masks[i] >> (sig - 1) & 1)
			continue;
		if (tids[i] == pid)
			fail("SIG%s is not blocked while the program waits "
			     "here",
			     sigabbrev_np(sig));
		else
			fail("SIG%s is not blocked in thread %d of the "
			     "program, which can take it while the program "
			     "waits here",
			     sigabbrev_np(sig), tids[i]);
		return;
	}
}

static void step_handlers(const char *kind)
{
	char list[700] = "";
	const char *why = probe_intact();
	size_t n = handler_reports(kind, list, sizeof(list));

	/* What was seen comes first; without it, a probe that could not
	 * watch fails the step: its silence proves nothing. */
	if (!n) {
		if (why[0])
			fail("%s", why);
		return;
	}
	if (!strcmp(kind, "unsafe"))
		fail("%s: not async-signal-safe (a handler may interrupt the "
		     "same function in the main program). Set a volatile "
		     "sig_atomic_t flag and do the work in the main loop, or "
		     "use write(2)",
		     list);
	else
		fail("%s: a handler that waits holds up the main program "
		     "(and every signal its mask blocks) until it returns. "
		     "Reap with waitpid(-1, &status, WNOHANG) in a loop, and "
		     "leave sleeping to the main loop",
		     list);
}

/* Steps that send the program something let its held waits go on
 * first, so that what they send finds it in the wait itself. */
static bool wakes(const char *v)
{
	static const char *const verbs[] = { "kill",  "send", "burst", "write",
		                             "close", "stop", "cont",  NULL };

	for (const char *const *w = verbs; *w; w++)
		if (!strcmp(v, *w))
			return true;
	return false;
}

void run_step(const struct step *s)
{
	const char *v = s->argv[0];

	if (violated)
		return;
	if (wakes(v))
		release_holds();
	if (!strcmp(v, "race"))
		races_left--;
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
		race(signum(s->argv[1]));
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
	if (violated)
		fail("the program made a forbidden system call");
}
