/*
 * proctree.h - what the processes of one sandbox uid are doing right now.
 *
 * proctree_sample(uid, &s) scans /proc once (processes that made themselves
 * non-dumpable are found by their real uid too). Used for CPU time of the
 * whole tree, the process count and the "everything is gone" checks.
 */
#ifndef SANDBOX_PROCTREE_H
#define SANDBOX_PROCTREE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct proctree_sample {
	unsigned processes; /* zombies included */
	unsigned zombies;
	unsigned threads;
	double cpu_seconds; /* user+sys, with reaped children, of live ones */
	uint64_t rss_bytes; /* sum over live processes */
};

/* Scan /proc for processes whose real or effective uid is uid, skipping
 * pid `except` (0: none). Returns 0 or -errno. */
int proctree_sample(uid_t uid, pid_t except, struct proctree_sample *s);

/* Whether /proc entry name (under directory fd procfd) is a process whose
 * effective or real uid is uid; a process that turned dumpable off shows
 * a root-owned entry, so that case reads its real uid. */
bool proctree_owned_by(int procfd, const char *name, uid_t uid);

/* CPU seconds (user+sys+children's) of one process; -1 when it is gone.
 * With self_too false only the reaped children's part is returned. */
double proctree_cpu_of(pid_t pid, int self_too);

#endif
