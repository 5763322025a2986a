/*
 * run.h - state shared by the supervisor (sandbox.c) and the keeper.
 *
 * Internal to sandbox/. The keeper is the root process inside the sandbox
 * (PID 1 of the namespaces in the full tier, a subreaper in the basic
 * tier): it starts the program, reaps everything and cleans up.
 */
#ifndef SANDBOX_RUN_H
#define SANDBOX_RUN_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "sandbox.h"
#include "slot.h"

struct run {
	const struct sandbox_config *cfg;
	struct sandbox_limits lim;
	enum sandbox_tier tier;
	struct slot slot;
	struct sock_fprog prog;
	bool notify;
	bool landlock_scope; /* Landlock ABI >= 6: scope signals, sockets */
	bool landlock_hide;  /* basic tier: cfg->hide unreadable (Landlock) */
	int landlock_fd;     /* the program's ruleset (landlock.h), or -1 */
	bool use_rlimit_as;  /* no memory cgroup: RLIMIT_AS instead */
	char *workdir;       /* absolute */
	char root[128];      /* empty mount point for the full tier */
	bool own_workdir;    /* the slot's own, emptied after the run */
	char *exec_path;     /* argv[0] resolved */
	char **envp;
	struct cgroup cg;
	pid_t supervisor;

	/* Pipes: [0] read end, [1] write end. */
	int in[2], out[2], err[2]; /* err is a socketpair */
	int status[2];             /* keeper -> supervisor messages */
	int ctl[2];                /* supervisor -> keeper: go, kill */
	int nsock[2];              /* program -> supervisor: listener */
	int witness[2];            /* keeper <-> the probe (cfg->witness) */
	struct cgroup_acct acct;   /* CPU accounting (cfg->witness) */
};

enum keeper_msg_type {
	KMSG_STARTED = 1, /* exec_errno: 0 = exec succeeded */
	KMSG_DONE,
	KMSG_SETUP_FAILED, /* text says which step */
	KMSG_LAST_LOOK,    /* the program ended and left processes: the
	                      grader's tick may look at them before they are
	                      killed; the supervisor answers CTL_KILL */
	KMSG_LINGER,       /* the program ended and left processes
	                      (cfg->linger): leftovers counts them; the keeper
	                      waits for CTL_FINISH, or CTL_KILL */
};

struct keeper_msg {
	int type;
	int exec_errno;
	int wstatus;               /* of the program, when main_exited */
	unsigned long main_minflt; /* its wait4 rusage: with waited children */
	bool main_exited;
	bool sigsys_seen;      /* some process died of SIGSYS */
	double cpu_seconds;    /* the whole tree */
	uint64_t maxrss_bytes; /* largest single process */
	unsigned leftovers;    /* still alive when the program ended */
	unsigned swept;        /* IPC objects removed (basic tier) */
	char text[200];
};

/* Tags of the descriptors sent on nsock: a pidfd of the program (from
 * the keeper), a seccomp listener (from the program, before its exec). */
#define FDTAG_PROGRAM  'P'
#define FDTAG_LISTENER 'L'

/* Control bytes the supervisor writes. */
#define CTL_GO     'g'
#define CTL_KILL   'k'
#define CTL_FINISH 'f' /* lingering is over: its stdout and stderr closed */

static inline double run_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline void run_close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Body of the keeper process; never returns. */
void keeper_main(struct run *r) __attribute__((noreturn));

#endif
