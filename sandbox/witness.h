/*
 * witness.h - the keeper answers the run's probe about the run's processes,
 * as root and from inside the run's PID namespace, so that nothing a
 * program does to itself (non-dumpable, threads, a zombie leader) hides it.
 * witness_init() in the keeper, witness_serve() per request; the protocol
 * below is what graders/probes/witness.h speaks.
 *
 * A SOCK_SEQPACKET pair: one request, one reply, each one message. The
 * probe's end is fd WITNESS_FD, named in IPCGRADE_WITNESS_FD. Requests:
 *
 *   proc PID            "proc PID ppid P state C start T exe DEV:INO
 *                        cpu S ccpu S threads N sigcgt X sigign X
 *                        shdpnd X ruid U euid U minflt N cminflt N
 *                        exit N" (a zombie's wait status, else -1),
 *                       then per thread "task TID state C syscall N
 *                        sp X pc X wchan W sigblk X sigpnd X" (X hex,
 *                        S seconds; syscall -1 running, -2 unknown, sp
 *                        and pc where it is in a call; wchan "-" none)
 *   fds PID             "fds N", then "fd N KIND DEV:INO MODE WHAT" per
 *                        descriptor (KIND procfs_kind_name, MODE r|w|rw,
 *                        WHAT %XX-escaped)
 *   children PID        "child PID" per child
 *   maps PID            the lines of /proc/PID/maps
 *   mem PID ADDR LEN    "mem N\n" then N bytes (LEN <= WITNESS_MEM_MAX)
 *   account PID NAME    "ok": PID and all it starts count in group NAME
 *   cpu [NAME]          "cpu SECONDS HOW": the group's CPU (the run's)
 *   filter              "filter N\n" then the run's seccomp program (N
 *                        struct sock_filter), forbidden calls notifying:
 *                        the probe installs it with its own listener
 *
 * Every reply ends with a line "end"; a failure is the single line
 * "err ENAME" (ESRCH: no such process in this run).
 */
#ifndef SANDBOX_WITNESS_H
#define SANDBOX_WITNESS_H

#include <linux/filter.h>
#include <stdbool.h>
#include <sys/types.h>

#include "account.h"

#define WITNESS_FD      6
#define WITNESS_MSG_MAX 65536
#define WITNESS_MEM_MAX 32768

struct witness {
	int fd;     /* the keeper's end */
	int procfd; /* /proc of the run's PID namespace */
	uid_t uid;
	bool whole_ns;
	struct account acct;
	const struct sock_fprog *prog; /* the run's policy */
};

/* acct_dirfd/acct_version: the run's accounting cgroup (-1/0: none). */
void witness_init(struct witness *w, int fd, int acct_dirfd, int acct_version,
                  uid_t uid, bool whole_ns, const struct sock_fprog *prog);

/* Read one request and answer it. Returns false when the probe's end is
 * closed (stop serving). */
bool witness_serve(struct witness *w);

#endif
