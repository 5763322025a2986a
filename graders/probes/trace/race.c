/*
 * race.c - the race: a signal sent into the program's next blocking wait
 * for it, at the wait's very start (held there by the listener), as by
 * bad luck between a check of a flag and the wait; then whether the wait
 * still ended (sigsuspend) or waited for a signal already handled.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "calls.h"
#include "probe.h"
#include "trace.h"
#include "witness.h"

#define ERESTARTNOINTR 513 /* the kernel's: restart after the handler */

/* The race: the signal to send into the next wait, and how it went.
 * While a race step is still to come, the program's untimed waits for a
 * signal are held at their start (not answered) until a step sends it
 * something or the race uses one. */
int races_left;
static struct {
	uint64_t id;
	pid_t tid;
	long nr;
} held[16];
static int nheld;
static int race_sig;
static enum {
	RACE_NONE,
	RACE_BLOCKED,
	RACE_RACED
} race_state;
static int raced_sig, raced_tid;
static long raced_nr, rewait_nr = -1;

/* Whether fd of thread tid is a pipe, socket, signalfd or eventfd: what a
 * program waits on for a signal (a file's read is no wait). */
static bool waitable_fd(pid_t tid, int fd)
{
	char path[64], link[64];
	struct wfd fds[256];
	ssize_t k;
	int n;

	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)tid, fd);
	if ((k = readlink(path, link, sizeof(link) - 1)) > 0) {
		char info[256], *fl;
		link[k] = '\0';
		/* A non-blocking descriptor's read never waits. */
		snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)tid,
		         fd);
		int f = open(path, O_RDONLY | O_CLOEXEC);
		ssize_t r = f >= 0 ? read(f, info, sizeof(info) - 1) : -1;
		if (f >= 0)
			close(f);
		if (r > 0) {
			info[r] = '\0';
			if ((fl = strstr(info, "flags:")) &&
			    (strtoul(fl + 6, NULL, 8) & O_NONBLOCK))
				return false;
		}
	} else if (!witness_fds(pid, fds, 256, &n)) {
		link[0] = '\0';
		for (int i = 0; i < n && i < 256; i++)
			if (fds[i].fd == fd)
				snprintf(link, sizeof(link),
				         "%s:", fds[i].kind);
	} else {
		return false;
	}
	return !strncmp(link, "pipe:", 5) || !strncmp(link, "socket:", 7) ||
	       !strncmp(link, "anon_inode:", 11) || !strncmp(link, "anon:", 5);
}

/* A wait that only a signal (or data from a process of the run) ends:
 * no timeout; a read only of a pipe, socket or signalfd that is not
 * stdin (the runner's own writes end that). */
static bool untimed_wait(const struct seccomp_notif *req)
{
	const __u64 *a = req->data.args;

	switch (req->data.nr) {
	case SYS_pause:
	case SYS_rt_sigsuspend:
		return true;
	case SYS_rt_sigtimedwait:
		return a[2] == 0;
	case SYS_poll:
		return (int)a[2] < 0;
	case SYS_ppoll:
		return a[2] == 0;
	case SYS_select:
	case SYS_pselect6:
		return a[4] == 0;
	case SYS_epoll_wait:
	case SYS_epoll_pwait:
		return (int)a[3] < 0;
	case SYS_epoll_pwait2:
		return a[3] == 0;
	case SYS_read:
	case SYS_readv:
		return (int)a[0] != 0 &&
		       waitable_fd((pid_t)req->pid, (int)a[0]);
	case SYS_futex:
		return a[3] == 0; /* no timeout */
	default:
		return false;
	}
}

/* A futex call that waits (sem_wait, a contended lock, a condition
 * variable), not one that wakes or requeues. */
static bool futex_waits(const struct seccomp_notif *req)
{
	int op = (int)req->data.args[1] & FUTEX_CMD_MASK;

	return op == FUTEX_WAIT || op == FUTEX_WAIT_BITSET;
}

/* Answer the call: on with it (CONTINUE) or, raced, with -ERESTARTNOINTR
 * after the signal, so that the handler runs before it starts again. */
static void race_into(pid_t tid, long nr, struct seccomp_notif_resp *resp)
{
	struct wproc w;
	bool blocked = false;

	/* A signal the thread blocks here stays pending until the wait
	 * unblocks it (sigsuspend, ppoll, a signalfd read): send it, let
	 * the wait go on. One it does not block is sent to this very
	 * thread and handled before the call starts again, as by bad luck
	 * between a check of the flag and the wait. */
	if (!witness_proc(pid, &w))
		for (int i = 0; i < w.ntasks; i++)
			if (w.tasks[i].tid == tid)
				blocked =
				    w.tasks[i].sigblk >> (race_sig - 1) & 1;
	raced_sig = race_sig;
	race_sig = 0;
	if (blocked) {
		kill(pid, raced_sig);
		race_state = RACE_BLOCKED;
		return;
	}
	syscall(SYS_tgkill, pid, tid, raced_sig);
	race_state = RACE_RACED;
	raced_tid = tid;
	raced_nr = nr;
	rewait_nr = -1;
	resp->flags = 0;
	resp->error = -ERESTARTNOINTR;
}

void release_holds(void)
{
	for (int i = 0; i < nheld; i++) {
		struct seccomp_notif_resp r = {
			.id = held[i].id,
			.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE
		};
		kernel_respond(&r);
	}
	nheld = 0;
}

/* Returns false when the call is held (no answer now). */
bool race_on_wait(const struct seccomp_notif *req,
                  struct seccomp_notif_resp *resp)
{
	pid_t tid = (pid_t)req->pid;

	if (req->data.nr == SYS_futex && !futex_waits(req))
		return true;
	if (watch_waits)
		blocking_in_handler(req);
	if (!of_program(tid))
		return true;
	if (race_state == RACE_RACED && tid == raced_tid && rewait_nr < 0) {
		/* The raced call starting again: it goes on, so that a
		 * program that already has what it waits for sees it. */
		rewait_nr = (long)req->data.nr;
		return true;
	}
	if (handler_running(tid))
		return true;
	if (race_sig) {
		race_into(tid, (long)req->data.nr, resp);
		return true;
	}
	if (races_left > 0 && untimed_wait(req) &&
	    nheld < (int)(sizeof(held) / sizeof(*held))) {
		held[nheld].id = req->id;
		held[nheld].tid = tid;
		held[nheld++].nr = (long)req->data.nr;
		return false;
	}
	return true;
}

/* Whether a thread of the program sleeps in one of the waits now, in
 * the call itself: not at its start, where the listener stops it until
 * it is seen (wchan says which). */
static bool already_waiting(void)
{
	struct wproc w;

	if (witness_proc(pid, &w))
		return false;
	for (int i = 0; i < w.ntasks; i++)
		if (w.tasks[i].state == 'S' &&
		    is_wait_call(w.tasks[i].syscall) &&
		    !strstr(w.tasks[i].wchan, "seccomp"))
			return true;
	return false;
}

void race(int sig)
{
	double until = now_ms() + 2000;

	drain();
	race_state = RACE_NONE;
	race_sig = sig;
	/* A wait held since the program began it: the window is open. The
	 * newest one still pending is where it waits now. */
	while (nheld > 0) {
		struct seccomp_notif_resp r = { .id = held[nheld - 1].id };
		if (!kernel_id_valid(r.id)) {
			nheld--;
			continue;
		}
		r.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		race_into(held[nheld - 1].tid, held[nheld - 1].nr, &r);
		kernel_respond(&r);
		nheld--;
		break;
	}
	release_holds();
	/* Already asleep in a wait that was let go on (a read of a signalfd
	 * or a self-pipe, a timed wait): its window has passed, and such a
	 * wait is woken by the signal itself. */
	if (race_sig && already_waiting()) {
		kill(pid, race_sig);
		raced_sig = race_sig;
		race_sig = 0;
		race_state = RACE_NONE;
		return;
	}
	while (race_sig && !exited && !violated && now_ms() < until)
		pump(until);
	if (race_sig && !exited && !violated) {
		race_sig = 0;
		fail("the program made no blocking call to wait for SIG%s "
		     "within 2 s: it spins instead of waiting (sigsuspend, "
		     "or poll on a self-pipe or a signalfd)",
		     sigabbrev_np(sig));
	}
}

const char *lost_wakeup(void)
{
	static char text[600];
	const char *call = probe_call_name(raced_nr);

	if (race_state != RACE_RACED || rewait_nr < 0)
		return NULL;
	if (raced_nr == SYS_rt_sigsuspend)
		snprintf(
		    text, sizeof(text),
		    "SIG%s arrived just before sigsuspend() began, while "
		    "it was not blocked: its handler ran, and sigsuspend() "
		    "then waited for a signal that had already come (a "
		    "lost wake-up). Block the signal with sigprocmask "
		    "before checking the flag; sigsuspend() unblocks it "
		    "and waits in one step",
		    sigabbrev_np(raced_sig));
	else
		snprintf(text, sizeof(text),
		         "SIG%s arrived just before %s() began, its handler "
		         "ran, and %s() then waited for a signal that had "
		         "already come (a lost wake-up). Block the signal, "
		         "check the flag, and wait with sigsuspend(), which "
		         "unblocks and waits in one step",
		         sigabbrev_np(raced_sig), call, call);
	return text;
}
