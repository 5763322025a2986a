/*
 * cgroup.h - a memory and process-count cgroup for one sandbox run, and a
 * CPU-accounting one: cgroup_create() / cgroup_acct_create(), *_add() the
 * keeper before it forks, cgroup_read() after the run, *_destroy(). The
 * keeper makes named groups below the accounting one (cgroup_acct_join)
 * and reads their CPU (cgroup_acct_usage). Absent cgroups are no error.
 */
#ifndef SANDBOX_CGROUP_H
#define SANDBOX_CGROUP_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct cgroup {
	int version;         /* 0: none, 1 or 2 */
	char mem[PATH_MAX];  /* v2: the one leaf; v1: memory leaf */
	char pids[PATH_MAX]; /* v1 pids leaf */
};

struct cgroup_stats {
	uint64_t peak_bytes;
	bool oom_killed;
	bool pids_max_hit;
};

bool cgroup_v2_usable(void);
bool cgroup_v1_usable(void);

/* Make a leaf with the given limits; cg->version is 0 when none can be
 * made (not an error). Returns 0 or -errno for a failure half-way. */
int cgroup_create(struct cgroup *cg, int version, uint64_t mem_bytes,
                  unsigned pids);
int cgroup_add(const struct cgroup *cg, pid_t pid);
void cgroup_read(const struct cgroup *cg, struct cgroup_stats *st);
/* Kill what is left inside and remove the leaf. */
void cgroup_destroy(struct cgroup *cg);

/* Remove leaves left by ipcgrade processes that were killed mid-run (their
 * names carry the creator's pid). Returns how many were removed. */
unsigned cgroup_sweep_stale(void);

/* CPU accounting: v2 (cpu.stat is in every v2 cgroup, with or without
 * controllers, so a hybrid host's unified tree serves) or v1 cpuacct. */
struct cgroup_acct {
	int version; /* 0: none */
	char path[PATH_MAX];
};

bool cgroup_acct_usable(void);
/* A leaf of its own; a->version is 0 when none can be made. */
int cgroup_acct_create(struct cgroup_acct *a);
int cgroup_acct_add(const struct cgroup_acct *a, pid_t pid);
/* Kill what is left, remove the named groups and the leaf. */
void cgroup_acct_destroy(struct cgroup_acct *a);

/* In the keeper, through a descriptor of a->path (opened before it left
 * the host's mount namespace): put pid (and so everything it will start)
 * in group `name` below it, made on first use. 0 or -errno. */
int cgroup_acct_join(int dirfd, const char *name, pid_t pid);
/* CPU seconds used so far by everything that was ever in group `name`
 * (NULL: the whole leaf). 0 or -errno. */
int cgroup_acct_usage(int dirfd, int version, const char *name,
                      double *seconds);

#endif
