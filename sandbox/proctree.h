/*
 * proctree.h - what the processes of one sandbox uid are doing right now.
 *
 * proctree_sample(uid, &s) scans /proc once (processes that made themselves
 * non-dumpable are found by their real uid too), proctree_sample_tree()
 * only a run's tree. Used for CPU time of the whole tree, the process
 * count and the "everything is gone" checks.
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

/* The same for the descendants of root (root itself left out) that run as
 * uid, found through /proc/PID/task/TID/children: a run's processes all
 * descend from its keeper (PID 1 of its namespace, or a subreaper), so a
 * sample costs a few reads per process of the run, not per process of the
 * host. A process forked during the walk may be missed by one sample. */
int proctree_sample_tree(pid_t root, uid_t uid, struct proctree_sample *s);

/* Whether /proc entry name (under directory fd procfd) is a process whose
 * effective or real uid is uid; a process that turned dumpable off shows
 * a root-owned entry, so that case reads its real uid. */
bool proctree_owned_by(int procfd, const char *name, uid_t uid);

/* CPU seconds (user+sys+children's) of one process; -1 when it is gone.
 * With self_too false only the reaped children's part is returned. */
double proctree_cpu_of(pid_t pid, int self_too);

#endif
