/*
 * proc.h - a snapshot of a run's processes, as a grader inspects them.
 *
 * proc_snapshot(uid, &s) reads /proc (sandbox/procfs, as root) for every
 * process of the run's uid: parent, executable, state, where it sleeps,
 * bytes it moved, ignored signals, faults, and its descriptors of every
 * kind. comm is for messages; the executable tells processes apart.
 */
#ifndef GRADERS_PROC_H
#define GRADERS_PROC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "procfs.h"

#define PROC_MAX_FDS   32
#define PROC_MAX_PROCS 160

struct proc_fd {
	int fd;
	unsigned long pipe; /* pipe inode, 0 for anything else */
	bool write;         /* opened for writing */
	enum procfs_kind kind;
	uint64_t ino; /* what it refers to */
};

struct proc_info {
	pid_t pid, ppid;
	char comm[32];
	char state;
	char wchan[48];
	uint64_t io;                   /* rchar + wchar */
	uint64_t exe_dev, exe_ino;     /* what it runs (0: unknown) */
	uint64_t sigign;               /* ignored signals */
	uint64_t sigcgt;               /* caught ones (with a handler) */
	uint64_t sigblk;               /* blocked in its first live thread */
	unsigned long minflt, cminflt; /* its faults; its waited children's */
	struct proc_fd fds[PROC_MAX_FDS];
	int nfds;
};

struct proc_snapshot {
	struct proc_info p[PROC_MAX_PROCS];
	int n;
};

int proc_snapshot(uid_t uid, struct proc_snapshot *s);

/* Read a small /proc file into buf (NUL-terminated); bytes or -1. */
ssize_t proc_read_small(const char *path, char *buf, size_t n);

/* A phrase for what a sleeping process waits on: "reading from a pipe". */
const char *proc_waiting_for(const struct proc_info *p);

#endif
