#include "cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include <linux/magic.h>

#define V1_ROOT "/sys/fs/cgroup"

static int write_at(int dirfd, const char *path, const char *val);

static int write_file(const char *dir, const char *file, const char *val)
{
	char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return write_at(AT_FDCWD, path, val);
}

static int read_file(const char *dir, const char *file, char *buf, size_t n)
{
	char path[PATH_MAX + 64];
	ssize_t r;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = read(fd, buf, n - 1);
	close(fd);
	if (r < 0)
		return -errno;
	buf[r] = '\0';
	return 0;
}

/* Value of "key N" in a flat-keyed file, or 0. */
static uint64_t keyed_value(const char *text, const char *key)
{
	size_t k = strlen(key);
	for (const char *p = text; p && *p;
	     p = strchr(p, '\n'), p = p ? p + 1 : p)
		if (!strncmp(p, key, k) && p[k] == ' ')
			return strtoull(p + k + 1, NULL, 10);
	return 0;
}

/* Our own cgroup path in the hierarchy whose /proc/self/cgroup line has
 * controller list ctl ("" for the v2 line "0::"). */
static int own_path(const char *ctl, char *out, size_t n)
{
	char line[PATH_MAX + 64];
	FILE *f = fopen("/proc/self/cgroup", "re");
	int err = -ENOENT;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *a = strchr(line, ':'), *b = a ? strchr(a + 1, ':') : NULL;
		if (!b)
			continue;
		*b = '\0';
		line[strcspn(b + 1, "\n") + (b + 1 - line)] = '\0';
		if (!strcmp(a + 1, ctl)) {
			snprintf(out, n, "%s", b + 1);
			err = 0;
			break;
		}
	}
	fclose(f);
	return err;
}

static bool is_fs(const char *path, long magic)
{
	struct statfs s;
	return statfs(path, &s) == 0 && s.f_type == magic;
}

static int v2_base(char *out, size_t n)
{
	char own[PATH_MAX];
	const char *mnt = is_fs("/sys/fs/cgroup", CGROUP2_SUPER_MAGIC)
	                      ? "/sys/fs/cgroup"
	                      : "/sys/fs/cgroup/unified";

	if (!is_fs(mnt, CGROUP2_SUPER_MAGIC) || own_path("", own, sizeof(own)))
		return -ENOENT;
	if (snprintf(out, n, "%s%s", mnt, strcmp(own, "/") ? own : "") >=
	    (int)n)
		return -ENAMETOOLONG;
	return 0;
}

bool cgroup_v2_usable(void)
{
	char base[PATH_MAX], ctl[256];

	if (v2_base(base, sizeof(base)) ||
	    read_file(base, "cgroup.subtree_control", ctl, sizeof(ctl)))
		return false;
	return strstr(ctl, "memory") && strstr(ctl, "pids") &&
	       access(base, W_OK) == 0;
}

static int v1_base(const char *ctl, char *out, size_t n)
{
	char own[PATH_MAX], root[64];

	snprintf(root, sizeof(root), V1_ROOT "/%s", ctl);
	if (!is_fs(root, CGROUP_SUPER_MAGIC) || own_path(ctl, own, sizeof(own)))
		return -ENOENT;
	if (snprintf(out, n, "%s%s", root, strcmp(own, "/") ? own : "") >=
	    (int)n)
		return -ENAMETOOLONG;
	return access(out, W_OK) ? -errno : 0;
}

bool cgroup_v1_usable(void)
{
	char a[PATH_MAX], b[PATH_MAX];
	return !v1_base("memory", a, sizeof(a)) &&
	       !v1_base("pids", b, sizeof(b));
}

static int make_leaf(const char *base, char *out, size_t n)
{
	static unsigned counter;
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	snprintf(out, n, "%s/ipcgrade-%d-%u-%ld", base, (int)getpid(),
	         counter++, ts.tv_nsec);
	return mkdir(out, 0700) ? -errno : 0;
}

int cgroup_create(struct cgroup *cg, int version, uint64_t mem, unsigned pids)
{
	char base[PATH_MAX], val[32];
	int err;

	memset(cg, 0, sizeof(*cg));
	if (version == 2) {
		if ((err = v2_base(base, sizeof(base))) ||
		    (err = make_leaf(base, cg->mem, sizeof(cg->mem))))
			return err == -ENOENT ? 0 : err;
		cg->version = 2;
		snprintf(val, sizeof(val), "%" PRIu64, mem);
		if ((err = write_file(cg->mem, "memory.max", val)))
			goto fail;
		write_file(cg->mem, "memory.swap.max", "0");
		snprintf(val, sizeof(val), "%u", pids);
		if ((err = write_file(cg->mem, "pids.max", val)))
			goto fail;
		return 0;
	}
	if (version != 1)
		return 0;
	if ((err = v1_base("memory", base, sizeof(base))) ||
	    (err = make_leaf(base, cg->mem, sizeof(cg->mem))))
		return err == -ENOENT ? 0 : err;
	cg->version = 1;
	if ((err = v1_base("pids", base, sizeof(base))) ||
	    (err = make_leaf(base, cg->pids, sizeof(cg->pids)))) {
		cg->pids[0] = '\0';
		goto fail;
	}
	snprintf(val, sizeof(val), "%" PRIu64, mem);
	if ((err = write_file(cg->mem, "memory.limit_in_bytes", val)))
		goto fail;
	write_file(cg->mem, "memory.memsw.limit_in_bytes", val);
	snprintf(val, sizeof(val), "%u", pids);
	if ((err = write_file(cg->pids, "pids.max", val)))
		goto fail;
	return 0;
fail:
	cgroup_destroy(cg);
	return err;
}

int cgroup_add(const struct cgroup *cg, pid_t pid)
{
	char val[32];
	int err = 0;

	snprintf(val, sizeof(val), "%d", (int)pid);
	if (cg->version >= 1)
		err = write_file(cg->mem, "cgroup.procs", val);
	if (!err && cg->version == 1)
		err = write_file(cg->pids, "cgroup.procs", val);
	return err;
}

void cgroup_read(const struct cgroup *cg, struct cgroup_stats *st)
{
	char buf[1024];

	memset(st, 0, sizeof(*st));
	if (cg->version == 2) {
		if (!read_file(cg->mem, "memory.peak", buf, sizeof(buf)))
			st->peak_bytes = strtoull(buf, NULL, 10);
		if (!read_file(cg->mem, "memory.events", buf, sizeof(buf)))
			st->oom_killed = keyed_value(buf, "oom_kill") > 0;
		if (!read_file(cg->mem, "pids.events", buf, sizeof(buf)))
			st->pids_max_hit = keyed_value(buf, "max") > 0;
	} else if (cg->version == 1) {
		if (!read_file(cg->mem, "memory.max_usage_in_bytes", buf,
		               sizeof(buf)))
			st->peak_bytes = strtoull(buf, NULL, 10);
		if (!read_file(cg->mem, "memory.oom_control", buf, sizeof(buf)))
			st->oom_killed = keyed_value(buf, "oom_kill") > 0;
		if (!read_file(cg->pids, "pids.events", buf, sizeof(buf)))
			st->pids_max_hit = keyed_value(buf, "max") > 0;
	}
}

static void empty_and_remove(const char *dir, bool v2);

/* The cgroups below dir first (accounting groups have some). */
static void remove_children(const char *dir, bool v2)
{
	char path[PATH_MAX + 300];
	struct dirent *e;
	DIR *d = opendir(dir);

	while (d && (e = readdir(d))) {
		if (e->d_type != DT_DIR || e->d_name[0] == '.')
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) <
		    (int)sizeof(path))
			empty_and_remove(path, v2);
	}
	if (d)
		closedir(d);
}

/* Kill every task listed in dir/cgroup.procs until it is empty, then rmdir
 * (with a bounded wait: exiting tasks leave the list asynchronously). */
static void empty_and_remove(const char *dir, bool v2)
{
	char buf[4096];

	if (!dir[0])
		return;
	remove_children(dir, v2);
	if (v2)
		write_file(dir, "cgroup.kill", "1");
	for (int i = 0; i < 2000; i++) {
		if (rmdir(dir) == 0 || errno == ENOENT)
			return;
		if (errno != EBUSY ||
		    read_file(dir, "cgroup.procs", buf, sizeof(buf)))
			return;
		for (char *p = buf; *p;) {
			char *end;
			long pid = strtol(p, &end, 10);
			if (end == p)
				break;
			if (pid > 0)
				kill((pid_t)pid, SIGKILL);
			p = end;
		}
		usleep(1000); /* the kernel finishes tearing tasks down */
	}
}

void cgroup_destroy(struct cgroup *cg)
{
	if (cg->version == 2)
		empty_and_remove(cg->mem, true);
	else if (cg->version == 1) {
		empty_and_remove(cg->mem, false);
		empty_and_remove(cg->pids, false);
	}
	memset(cg, 0, sizeof(*cg));
}

static unsigned sweep_base(const char *base, bool v2)
{
	char path[PATH_MAX + 300];
	struct dirent *e;
	unsigned n = 0;
	DIR *d = opendir(base);

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		int pid;
		if (sscanf(e->d_name, "ipcgrade-%d-", &pid) != 1 || pid <= 0 ||
		    kill(pid, 0) == 0 || errno != ESRCH)
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", base, e->d_name) >=
		    (int)sizeof(path))
			continue;
		empty_and_remove(path, v2);
		n++;
	}
	closedir(d);
	return n;
}

unsigned cgroup_sweep_stale(void)
{
	char base[PATH_MAX];
	unsigned n = 0;

	if (!v2_base(base, sizeof(base)))
		n += sweep_base(base, true);
	if (!v1_base("memory", base, sizeof(base)))
		n += sweep_base(base, false);
	if (!v1_base("pids", base, sizeof(base)))
		n += sweep_base(base, false);
	if (!v1_base("cpuacct", base, sizeof(base)))
		n += sweep_base(base, false);
	return n;
}

/*** CPU accounting ***/

bool cgroup_acct_usable(void)
{
	char base[PATH_MAX];

	if (!v2_base(base, sizeof(base)) && access(base, W_OK) == 0)
		return true;
	return !v1_base("cpuacct", base, sizeof(base));
}

int cgroup_acct_create(struct cgroup_acct *a)
{
	char base[PATH_MAX];
	int err;

	memset(a, 0, sizeof(*a));
	if (!v2_base(base, sizeof(base)) && access(base, W_OK) == 0 &&
	    !make_leaf(base, a->path, sizeof(a->path))) {
		a->version = 2;
		return 0;
	}
	if ((err = v1_base("cpuacct", base, sizeof(base))) ||
	    (err = make_leaf(base, a->path, sizeof(a->path)))) {
		a->path[0] = '\0';
		return err == -ENOENT || err == -EACCES ? 0 : err;
	}
	a->version = 1;
	return 0;
}

int cgroup_acct_add(const struct cgroup_acct *a, pid_t pid)
{
	char val[32];

	snprintf(val, sizeof(val), "%d", (int)pid);
	return a->version ? write_file(a->path, "cgroup.procs", val) : 0;
}

void cgroup_acct_destroy(struct cgroup_acct *a)
{
	if (a->version)
		empty_and_remove(a->path, a->version == 2);
	memset(a, 0, sizeof(*a));
}

static int write_at(int dirfd, const char *path, const char *val)
{
	int fd = openat(dirfd, path, O_WRONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		err = -errno;
	close(fd);
	return err;
}

int cgroup_acct_join(int dirfd, const char *name, pid_t pid)
{
	char path[96], val[32];

	/* Names are the harness's own words: no slash, no dot first. */
	if (!name[0] || name[0] == '.' || strchr(name, '/') ||
	    strlen(name) > 48)
		return -EINVAL;
	if (mkdirat(dirfd, name, 0700) < 0 && errno != EEXIST)
		return -errno;
	snprintf(path, sizeof(path), "%s/cgroup.procs", name);
	snprintf(val, sizeof(val), "%d", (int)pid);
	return write_at(dirfd, path, val);
}

int cgroup_acct_usage(int dirfd, int version, const char *name, double *seconds)
{
	char path[96], buf[1024];
	ssize_t k;
	int fd;

	snprintf(path, sizeof(path), "%s%s%s", name ? name : "",
	         name ? "/" : "", version == 2 ? "cpu.stat" : "cpuacct.usage");
	if ((fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC)) < 0)
		return -errno;
	k = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (k <= 0)
		return k < 0 ? -errno : -EIO;
	buf[k] = '\0';
	if (version == 2)
		*seconds = (double)keyed_value(buf, "usage_usec") / 1e6;
	else
		*seconds = (double)strtoull(buf, NULL, 10) / 1e9;
	return 0;
}
