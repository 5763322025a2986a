/*
 * probe.h - find out once what isolation this machine allows.
 *
 * probe_get() probes on first use and caches; probe_pick_tier() turns a
 * request (auto/full/basic, or IPCGRADE_TIER in the environment) into the
 * tier to use, or -ENOTSUP when full isolation was demanded but is missing.
 */
#ifndef SANDBOX_PROBE_H
#define SANDBOX_PROBE_H

#include <stdbool.h>

enum sandbox_tier {
	TIER_AUTO = 0,
	TIER_BASIC,
	TIER_FULL,
};

struct probe {
	bool root;              /* euid 0 with CAP_SETUID/SETGID/KILL */
	bool namespaces;        /* pid+ipc+net+mnt+uts unshare works */
	bool user_notify;       /* seccomp user notification available */
	bool pidfd;             /* pidfd_open works */
	bool mount_setattr;     /* recursive read-only remount */
	bool cgroup_v2;         /* a writable v2 leaf with memory+pids */
	bool cgroup_v1;         /* writable v1 memory and pids hierarchies */
	bool cgroup_acct;       /* a cgroup for CPU accounting can be made */
	bool wait_killable;     /* seccomp's WAIT_KILLABLE_RECV (5.19) */
	bool nested_seccomp;    /* a filter is already active (containers) */
	int landlock_abi;       /* 0: none; >= 6 scopes signals and sockets */
	char why_not_full[160]; /* reason when namespaces is false */
};

/* The cached probe of this machine (borrowed). */
const struct probe *probe_get(void);

/* Probe again on the next probe_get(): for tests that make this machine
 * look weaker with IPCGRADE_DISABLE after the first probe. */
void probe_forget(void);

/* The tier for a request; TIER_AUTO also reads IPCGRADE_TIER. Returns the
 * tier, or -ENOTSUP when TIER_FULL is asked for and impossible, or -EPERM
 * when not even the basic tier can run (not root, no namespaces). */
int probe_pick_tier(enum sandbox_tier want);

const char *probe_tier_name(enum sandbox_tier t);

/* "full" / "basic" / "auto" -> tier; -EINVAL for anything else. */
int probe_parse_tier(const char *s);

#endif
