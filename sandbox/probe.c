#include "probe.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.h"
#include "hostcache.h"

static struct probe the_probe;
static bool probed;

/* True when the effective capability set holds bit cap. */
static bool has_cap(int cap)
{
	char line[256];
	unsigned long long eff = 0;
	FILE *f = fopen("/proc/self/status", "re");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	fclose(f);
	return (eff >> cap) & 1;
}

static bool seccomp_filter_active(void)
{
	char line[256];
	int mode = 0;
	FILE *f = fopen("/proc/self/status", "re");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Seccomp: %d", &mode) == 1)
			break;
	fclose(f);
	return mode == 2;
}

/* Try the namespaces of the full tier in a throw-away child. */
static bool try_namespaces(char *why, size_t len)
{
	int flags = CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWNS |
	            CLONE_NEWUTS;
	int status, pfd[2], err = 0;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC) < 0)
		return false;
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return false;
	}
	if (pid == 0) {
		int e = 0;
		if (unshare(flags) < 0)
			e = errno;
		else if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
			e = errno;
		if (write(pfd[1], &e, sizeof(e)) < 0)
			_exit(1);
		_exit(0);
	}
	close(pfd[1]);
	if (read(pfd[0], &err, sizeof(err)) != sizeof(err))
		err = EIO;
	close(pfd[0]);
	waitpid(pid, &status, 0);
	if (err)
		snprintf(why, len, "cannot create namespaces: %s",
		         strerror(err));
	return err == 0;
}

/* The namespaces probe makes a network namespace, the slowest step of a
 * launch: its answer is shared for a while (hostcache.h). */
static bool try_namespaces_cached(char *why, size_t len)
{
	char buf[200];
	bool ok;

	if (hostcache_get("namespaces", buf, sizeof(buf)) == 0) {
		if (!strcmp(buf, "yes"))
			return true;
		if (!strncmp(buf, "no ", 3)) {
			snprintf(why, len, "%.150s", buf + 3);
			return false;
		}
	}
	ok = try_namespaces(why, len);
	if (ok)
		snprintf(buf, sizeof(buf), "yes");
	else
		snprintf(buf, sizeof(buf), "no %s", why);
	hostcache_put("namespaces", buf);
	return ok;
}

static bool try_user_notify(void)
{
	unsigned int action = SECCOMP_RET_USER_NOTIF;
	return syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0;
}

/* SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV: a filter that uses it with a
 * bad program fails with EFAULT where the flag is known, EINVAL where it is
 * not. */
static bool try_wait_killable(void)
{
	long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
	                 SECCOMP_FILTER_FLAG_NEW_LISTENER | (1UL << 5), NULL);
	return r < 0 && errno == EFAULT;
}

static bool try_pidfd(void)
{
	int fd = syscall(SYS_pidfd_open, getpid(), 0);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static bool try_mount_setattr(void)
{
	/* EINVAL on a bad fd's attributes means the call exists. */
	long r = syscall(SYS_mount_setattr, -1, "", 0, NULL, 0);
	return r < 0 && errno != ENOSYS;
}

static int try_landlock(void)
{
	/* LANDLOCK_CREATE_RULESET_VERSION: the ABI version, or an error. */
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, 1U << 0);
	return abi > 0 ? (int)abi : 0;
}

static bool disabled(const char *what)
{
	const char *d = getenv("IPCGRADE_DISABLE");
	size_t n = strlen(what);

	for (const char *p = d; p && (p = strstr(p, what)); p += n)
		if ((p == d || p[-1] == ',') && (p[n] == ',' || !p[n]))
			return true;
	return false;
}

const struct probe *probe_get(void)
{
	struct probe *p = &the_probe;

	if (probed)
		return p;
	probed = true;
	p->root = geteuid() == 0 && has_cap(CAP_SETUID) &&
	          has_cap(CAP_SETGID) && has_cap(CAP_KILL);
	p->nested_seccomp = seccomp_filter_active();
	p->user_notify = try_user_notify();
	p->pidfd = try_pidfd();
	p->mount_setattr = try_mount_setattr();
	p->landlock_abi = disabled("landlock") ? 0 : try_landlock();
	if (!p->root)
		snprintf(p->why_not_full, sizeof(p->why_not_full),
		         "not running as root with CAP_SETUID and CAP_KILL");
	else
		p->namespaces = try_namespaces_cached(p->why_not_full,
		                                      sizeof(p->why_not_full));
	/* IPCGRADE_DISABLE=namespaces,notify,cgroup makes this machine look
	 * like a weaker one, to test the fallbacks. */
	if (disabled("namespaces") && p->namespaces) {
		p->namespaces = false;
		snprintf(p->why_not_full, sizeof(p->why_not_full),
		         "namespaces disabled by IPCGRADE_DISABLE");
	}
	if (disabled("notify"))
		p->user_notify = false;
	if (p->root && !disabled("cgroup")) {
		p->cgroup_v2 = cgroup_v2_usable();
		p->cgroup_v1 = !p->cgroup_v2 && cgroup_v1_usable();
		p->cgroup_acct = cgroup_acct_usable();
	}
	p->wait_killable = p->user_notify && try_wait_killable();
	return p;
}

void probe_forget(void)
{
	memset(&the_probe, 0, sizeof(the_probe));
	probed = false;
}

const char *probe_tier_name(enum sandbox_tier t)
{
	switch (t) {
	case TIER_FULL:
		return "full";
	case TIER_BASIC:
		return "basic";
	default:
		return "auto";
	}
}

int probe_parse_tier(const char *s)
{
	if (!strcmp(s, "full"))
		return TIER_FULL;
	if (!strcmp(s, "basic"))
		return TIER_BASIC;
	if (!strcmp(s, "auto"))
		return TIER_AUTO;
	return -EINVAL;
}

int probe_pick_tier(enum sandbox_tier want)
{
	const struct probe *p = probe_get();
	const char *env = getenv("IPCGRADE_TIER");

	if (want == TIER_AUTO && env && *env) {
		int t = probe_parse_tier(env);
		if (t > 0)
			want = t;
	}
	if (!p->root)
		return -EPERM;
	if (want == TIER_FULL)
		return p->namespaces ? TIER_FULL : -ENOTSUP;
	if (want == TIER_BASIC)
		return TIER_BASIC;
	return p->namespaces ? TIER_FULL : TIER_BASIC;
}
