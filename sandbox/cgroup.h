/*
 * cgroup.h - a memory and process-count cgroup for one sandbox run.
 *
 * cgroup_create() (v2 where a delegated subtree has memory+pids, else the
 * v1 memory and pids hierarchies), cgroup_add() the keeper before it forks,
 * cgroup_read() after the run, cgroup_destroy(). Absent cgroups are no error.
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

#endif
