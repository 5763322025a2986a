/*
 * account.h - CPU time of named groups of a run's processes, in the keeper:
 * everything a group ever had counts, reaped or not, orphaned or not. From
 * the run's accounting cgroup where there is one, else by lineage from
 * /proc. account_init(), account_join(pid, "name") before pid starts
 * anything, account_usage("name", or NULL for the whole run).
 */
#ifndef SANDBOX_ACCOUNT_H
#define SANDBOX_ACCOUNT_H

#include <stdbool.h>
#include <sys/types.h>

#define ACCOUNT_GROUPS  16
#define ACCOUNT_MEMBERS 512

struct account_member {
	pid_t pid, ppid;
	unsigned long long start; /* with pid, names one process */
	double cpu;               /* own + waited-for children's, last seen */
	int group;
};

struct account {
	int dirfd;     /* the accounting cgroup, or -1 */
	int version;   /* its version; 0: by lineage */
	uid_t uid;     /* the run's processes, when not every process seen */
	bool whole_ns; /* every process in /proc is the run's (own PID ns) */
	char names[ACCOUNT_GROUPS][49];
	double frozen[ACCOUNT_GROUPS]; /* of members gone with no parent in
	                                  the group to wait for them */
	double best[ACCOUNT_GROUPS];
	int ngroups;
	struct account_member m[ACCOUNT_MEMBERS];
	int nm;
};

/* dirfd/version from the run's accounting cgroup (-1/0: none). */
void account_init(struct account *a, int dirfd, int version, uid_t uid,
                  bool whole_ns);

/* Count pid, and all it starts from now on, in group name. 0 or -errno. */
int account_join(struct account *a, pid_t pid, const char *name);

/* CPU seconds of the group (name NULL: of the whole run) so far; never
 * less than an earlier answer. *how: "cgroup" or "lineage". */
int account_usage(struct account *a, const char *name, double *seconds,
                  const char **how);

#endif
