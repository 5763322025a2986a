/*
 * guard.c - keeps a test able to judge its own property when processes
 * the server started spin, before they use up the test's CPU: guard_tick()
 * (called as the checks wait) stops any of them, but the server itself,
 * that stays runnable, uses CPU and writes nothing for 300 ms; not in
 * flow, which measures that CPU. guard_report() says what was stopped.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calls.h"
#include "netprobe.h"
#include "witness.h"

#define GUARD_EVERY_MS 100
#define GUARD_HOT      3  /* samples in a row spinning */
#define GUARD_MAX      64 /* processes followed */
#define GUARD_KEPT     4  /* descriptions kept for the report */

static struct {
	int pid;
	double cpu;
	uint64_t wchar;
	int hot;
	bool seen;
} followed[GUARD_MAX];
static int nfollowed;
static double last_ms = -1;
static char stopped[GUARD_KEPT][300];
static int nstopped, nstopped_all;

/* "pid 12, forked by the server (pid 10), used 0.41 s of CPU running in
 * user space, with 3 descriptors (no socket)" */
static void describe(const struct wproc *w, char *out, size_t n)
{
	static struct wfd fds[256];
	const char *doing = "running in user space";
	int nfds = 0, sockets = 0;

	for (int i = 0; i < w->ntasks; i++)
		if (w->tasks[i].syscall >= 0) {
			doing = probe_call_name(w->tasks[i].syscall);
			break;
		}
	if (witness_fds(w->pid, fds, 256, &nfds) == 0)
		for (int i = 0; i < nfds && i < 256; i++)
			sockets += !strcmp(fds[i].kind, "socket");
	bool call = strcmp(doing, "running in user space") != 0;

	snprintf(out, n,
	         "pid %d, %s (pid %d), had used %.2f s of CPU, %s%s%s, with "
	         "%d descriptors (%d sockets)",
	         w->pid,
	         w->ppid == server ? "forked by the server" : "whose parent is",
	         w->ppid, w->cpu, call ? "calling " : "", doing,
	         call ? "()" : "", nfds, sockets);
}

void (*on_cpu_out)(void) = cpu_out_verdict;

void cpu_out_verdict(void)
{
	char top[300] = "";

	cpu_top(NULL, top, sizeof(top));
	verdict("failed", "the test stopped before it could finish, %s%s%s",
	        budget_spent(), top[0] ? "; the most CPU went to " : "", top);
}

void guard_tick(void)
{
	double now = now_ms();
	DIR *d;
	struct dirent *e;

	if (server <= 0 || server_gone)
		return;
	if (last_ms >= 0 && now - last_ms < GUARD_EVERY_MS)
		return;
	last_ms = now;
	if (cpu_running_out())
		on_cpu_out();
	/* flow measures the server's CPU: nothing is stopped there. */
	if (!strcmp(plan.check, "flow"))
		return;
	for (int i = 0; i < nfollowed; i++)
		followed[i].seen = false;
	for (d = opendir("/proc"); d && (e = readdir(d));) {
		struct wproc w;
		int pid = atoi(e->d_name), i;
		if (pid <= 0 || pid == getpid() || pid == server ||
		    witness_proc(pid, &w) || w.state == 'Z')
			continue;
		for (i = 0; i < nfollowed && followed[i].pid != pid; i++)
			;
		if (i == nfollowed) {
			if (nfollowed == GUARD_MAX)
				continue;
			followed[nfollowed++] =
			    (typeof(followed[0])){ pid, w.cpu, w.wchar, 0,
				                   true };
			continue;
		}
		followed[i].seen = true;
		/* Runnable and not a byte written, sample after sample, and
		 * CPU used meanwhile: it spins (with many spinning, each
		 * gets only a share of a CPU). */
		if (w.state != 'R' || w.wchar != followed[i].wchar) {
			followed[i].hot = 0;
			followed[i].cpu = w.cpu;
			followed[i].wchar = w.wchar;
			continue;
		}
		if (++followed[i].hot < GUARD_HOT || w.cpu <= followed[i].cpu)
			continue;
		if (nstopped < GUARD_KEPT)
			describe(&w, stopped[nstopped++], sizeof(stopped[0]));
		nstopped_all++;
		kill(pid, SIGKILL);
		followed[i].hot = 0;
	}
	if (d)
		closedir(d);
	/* Forget the gone. */
	for (int i = 0; i < nfollowed;)
		if (!followed[i].seen)
			followed[i] = followed[--nfollowed];
		else
			i++;
}

bool cpu_running_out(void)
{
	double t;

	return (plan.cpu_limit_ms > 0 && !witness_cpu(NULL, &t) &&
	        t * 1000 >= 0.6 * (double)plan.cpu_limit_ms) ||
	       (plan.wall_limit_ms > 0 &&
	        now_ms() >= 0.6 * (double)plan.wall_limit_ms);
}

const char *budget_spent(void)
{
	static char what[96];
	double t = 0;

	witness_cpu(NULL, &t);
	if (plan.cpu_limit_ms > 0 && t * 1000 >= 0.6 * plan.cpu_limit_ms)
		snprintf(what, sizeof(what),
		         "its CPU nearly spent (%.1f s of %.1f s)", t,
		         (double)plan.cpu_limit_ms / 1000);
	else
		snprintf(what, sizeof(what),
		         "its time nearly spent (%.1f s of %.1f s)",
		         now_ms() / 1000, (double)plan.wall_limit_ms / 1000);
	return what;
}

void cpu_snapshot(struct cpu_snap *s)
{
	DIR *d = opendir("/proc");
	struct dirent *e;

	s->n = 0;
	while (d && (e = readdir(d)) && s->n < CPU_SNAP_MAX) {
		struct wproc w;
		int pid = atoi(e->d_name);
		if (pid <= 0 || pid == getpid() || witness_proc(pid, &w) ||
		    w.state == 'Z')
			continue;
		s->pid[s->n] = pid;
		s->cpu[s->n++] = w.cpu;
	}
	if (d)
		closedir(d);
}

bool cpu_top(const struct cpu_snap *before, char *out, size_t n)
{
	static struct cpu_snap now;
	double best = 0, used;
	int top = -1;
	struct wproc w;

	cpu_snapshot(&now);
	for (int i = 0; i < now.n; i++) {
		used = now.cpu[i];
		for (int k = 0; before && k < before->n; k++)
			if (before->pid[k] == now.pid[i])
				used -= before->cpu[k];
		if (used > best) {
			best = used;
			top = now.pid[i];
		}
	}
	if (top < 0 || best < 0.01 || witness_proc(top, &w))
		return false;
	if (top == server) {
		const char *doing = "running in user space";
		for (int i = 0; i < w.ntasks; i++)
			if (w.tasks[i].syscall >= 0) {
				doing = probe_call_name(w.tasks[i].syscall);
				break;
			}
		bool call = strcmp(doing, "running in user space") != 0;
		snprintf(out, n, "the server itself (pid %d), %s%s%s", top,
		         call ? "now in " : "", doing, call ? "()" : "");
	} else {
		describe(&w, out, n);
	}
	return true;
}

void guard_report(void)
{
	if (!nstopped_all)
		return;
	putf("guarded %d\n", nstopped_all);
	for (int i = 0; i < nstopped; i++) {
		putf("stopped ");
		put_word(stopped[i], strlen(stopped[i]));
		putf("\n");
	}
}
