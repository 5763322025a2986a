#include "proctree.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static long ticks_per_second(void)
{
	static long hz;
	if (!hz)
		hz = sysconf(_SC_CLK_TCK);
	return hz > 0 ? hz : 100;
}

static ssize_t read_small(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r;

	if (fd < 0)
		return -1;
	r = read(fd, buf, n - 1);
	close(fd);
	if (r >= 0)
		buf[r] = '\0';
	return r;
}

/* Fields of /proc/PID/stat after the command name. */
struct stat_fields {
	char state;
	unsigned long utime, stime;
	long cutime, cstime, threads, rss_pages;
};

static int parse_stat(pid_t pid, struct stat_fields *f)
{
	char path[64], buf[1024], *p;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (read_small(path, buf, sizeof(buf)) <= 0)
		return -1;
	p = strrchr(buf, ')'); /* the name may hold spaces and ')' */
	if (!p)
		return -1;
	/* state(3) ... utime(14) stime(15) cutime(16) cstime(17) ...
	 * num_threads(20) ... rss(24) */
	if (sscanf(p + 2,
	           "%c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu %ld "
	           "%ld %*d %*d %ld %*d %*u %*u %ld",
	           &f->state, &f->utime, &f->stime, &f->cutime, &f->cstime,
	           &f->threads, &f->rss_pages) != 7)
		return -1;
	return 0;
}

/* Real uid from /proc/PID/status (for processes that hide behind a
 * root-owned /proc entry by turning dumpable off). */
static long real_uid(pid_t pid)
{
	char path[64], buf[2048], *u;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (read_small(path, buf, sizeof(buf)) <= 0)
		return -1;
	u = strstr(buf, "\nUid:");
	return u ? strtol(u + 5, NULL, 10) : -1;
}

bool proctree_owned_by(int procfd, const char *name, uid_t uid)
{
	struct stat st;

	if (!isdigit((unsigned char)name[0]) ||
	    fstatat(procfd, name, &st, 0) < 0)
		return false;
	return st.st_uid == uid ||
	       (st.st_uid == 0 && real_uid(atoi(name)) == (long)uid);
}

/* One process's share of a sample. */
static void count(struct proctree_sample *s, const struct stat_fields *f)
{
	static long page;

	if (!page)
		page = sysconf(_SC_PAGESIZE);
	s->processes++;
	if (f->state == 'Z' || f->state == 'X')
		s->zombies++;
	s->threads += f->threads > 0 ? f->threads : 1;
	s->cpu_seconds +=
	    (double)(f->utime + f->stime + f->cutime + f->cstime) /
	    ticks_per_second();
	s->rss_bytes += (uint64_t)f->rss_pages * page;
}

int proctree_sample(uid_t uid, pid_t except, struct proctree_sample *s)
{
	DIR *d = opendir("/proc");
	struct dirent *e;

	memset(s, 0, sizeof(*s));
	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		struct stat_fields f;
		pid_t pid;

		if (!proctree_owned_by(dirfd(d), e->d_name, uid))
			continue;
		pid = atoi(e->d_name);
		if (pid == except)
			continue;
		if (parse_stat(pid, &f) < 0)
			continue; /* gone meanwhile */
		count(s, &f);
	}
	closedir(d);
	return 0;
}

/* Append the children of every thread of pid to list (at most max). */
static int add_children(pid_t pid, pid_t *list, int n, int max)
{
	char path[300], buf[4096];
	struct dirent *e;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	if (!(d = opendir(path)))
		return n;
	while (n < max && (e = readdir(d))) {
		char *p, *end;
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/children",
		         (int)pid, e->d_name);
		if (read_small(path, buf, sizeof(buf)) <= 0)
			continue;
		for (p = buf; n < max; p = end) {
			long c = strtol(p, &end, 10);
			if (end == p)
				break;
			list[n++] = (pid_t)c;
		}
	}
	closedir(d);
	return n;
}

int proctree_sample_tree(pid_t root, uid_t uid, struct proctree_sample *s)
{
	enum {
		MAX = 4096
	};
	static pid_t list[MAX];
	int procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int n = add_children(root, list, 0, MAX);

	memset(s, 0, sizeof(*s));
	if (procfd < 0)
		return -errno;
	/* Breadth first: list grows as each process's children are read. */
	for (int i = 0; i < n; i++) {
		struct stat_fields f;
		char name[16];
		snprintf(name, sizeof(name), "%d", (int)list[i]);
		if (!proctree_owned_by(procfd, name, uid) ||
		    parse_stat(list[i], &f) < 0)
			continue; /* gone meanwhile, or a helper of root's */
		count(s, &f);
		n = add_children(list[i], list, n, MAX);
	}
	close(procfd);
	return 0;
}

double proctree_cpu_of(pid_t pid, int self_too)
{
	struct stat_fields f;
	unsigned long t;

	if (parse_stat(pid, &f) < 0)
		return -1;
	t = f.cutime + f.cstime;
	if (self_too)
		t += f.utime + f.stime;
	return (double)t / ticks_per_second();
}
