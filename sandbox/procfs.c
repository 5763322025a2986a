#include "procfs.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#ifndef MQUEUE_MAGIC
#define MQUEUE_MAGIC 0x19800202
#endif

ssize_t procfs_read_file(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r, got = 0;

	if (fd < 0)
		return -errno;
	/* Some /proc files come in several reads (status, maps). */
	while ((size_t)got < n - 1 &&
	       (r = read(fd, buf + got, n - 1 - (size_t)got)) > 0)
		got += r;
	close(fd);
	buf[got] = '\0';
	return got;
}

static double ticks_to_s(unsigned long long t)
{
	static long hz;

	if (!hz)
		hz = sysconf(_SC_CLK_TCK);
	return (double)t / (double)(hz > 0 ? hz : 100);
}

/* state, ppid and the counters of a stat line (process or thread). */
static int parse_stat(const char *path, struct procfs *p, char *state)
{
	char buf[1024], *rp, *lp;
	unsigned long long ut, st, cut, cst, start;
	unsigned long minflt, cminflt;
	int ppid;
	ssize_t k = procfs_read_file(path, buf, sizeof(buf));

	if (k < 0)
		return k == -ENOENT ? -ESRCH : (int)k;
	/* The name may hold spaces and parentheses: after the last ')'. */
	if (!(rp = strrchr(buf, ')')) || !(lp = strchr(buf, '(')))
		return -EIO;
	if (sscanf(rp + 2,
	           "%c %d %*d %*d %*d %*d %*u %lu %lu %*u %*u %llu %llu %llu "
	           "%llu %*d %*d %*d %*d %llu",
	           state, &ppid, &minflt, &cminflt, &ut, &st, &cut, &cst,
	           &start) != 9)
		return -EIO;
	if (p) {
		/* Field 52, the wait status of a zombie (Linux 3.5): the
		 * 50th word after the state. */
		const char *f = rp + 2;
		p->exit_status = -1;
		for (int i = 0; i < 49 && f; i++)
			if ((f = strchr(f, ' ')))
				f++;
		if (f && *state == 'Z')
			p->exit_status = atoi(f);
		p->ppid = ppid;
		p->minflt = minflt;
		p->cminflt = cminflt;
		p->utime = ticks_to_s(ut);
		p->stime = ticks_to_s(st);
		p->cutime = ticks_to_s(cut);
		p->cstime = ticks_to_s(cst);
		p->start = start;
		snprintf(p->comm, sizeof(p->comm), "%.*s",
		         (int)(rp - lp - 1 < 15 ? rp - lp - 1 : 15), lp + 1);
	}
	return 0;
}

int procfs_brief(pid_t pid, struct procfs_brief *b)
{
	char path[64];
	struct procfs p;
	int err;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((err = parse_stat(path, &p, &b->state)))
		return err;
	b->ppid = p.ppid;
	b->start = p.start;
	b->cpu = p.utime + p.stime;
	b->children_cpu = p.cutime + p.cstime;
	return 0;
}

static uint64_t hex_field(const char *text, const char *key)
{
	const char *at = strstr(text, key);

	return at ? strtoull(at + strlen(key), NULL, 16) : 0;
}

static void read_task(pid_t pid, pid_t tid, struct procfs_task *t)
{
	char path[96], buf[2048];

	memset(t, 0, sizeof(*t));
	t->tid = tid;
	t->state = '?';
	t->syscall = -2;
	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", (int)pid,
	         (int)tid);
	parse_stat(path, NULL, &t->state);
	snprintf(path, sizeof(path), "/proc/%d/task/%d/status", (int)pid,
	         (int)tid);
	if (procfs_read_file(path, buf, sizeof(buf)) > 0) {
		t->sigblk = hex_field(buf, "\nSigBlk:");
		t->sigpnd = hex_field(buf, "\nSigPnd:");
	}
	snprintf(path, sizeof(path), "/proc/%d/task/%d/wchan", (int)pid,
	         (int)tid);
	if (procfs_read_file(path, t->wchan, sizeof(t->wchan)) > 0 &&
	    !strcmp(t->wchan, "0"))
		t->wchan[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/task/%d/syscall", (int)pid,
	         (int)tid);
	if (procfs_read_file(path, buf, sizeof(buf)) > 0) {
		if (!strncmp(buf, "running", 7))
			t->syscall = -1;
		else if (isdigit((unsigned char)buf[0]) || buf[0] == '-') {
			unsigned long long a[6], sp = 0, pc = 0;
			/* "NR ARG1..ARG6 SP PC" while it is in a call */
			t->syscall = strtol(buf, NULL, 10);
			if (sscanf(
			        buf,
			        "%*d %llx %llx %llx %llx %llx %llx %llx %llx",
			        &a[0], &a[1], &a[2], &a[3], &a[4], &a[5], &sp,
			        &pc) == 8) {
				t->sp = sp;
				t->pc = pc;
			}
		}
	}
}

bool procfs_task_sleeps(const struct procfs_task *t)
{
	return t->state == 'S';
}

/* A thread of pid that has not exited, or 0. */
static pid_t live_task(const struct procfs *p)
{
	for (int i = 0; i < p->ntasks; i++)
		if (p->tasks[i].state != 'Z' && p->tasks[i].state != 'X' &&
		    p->tasks[i].state != '?')
			return p->tasks[i].tid;
	return 0;
}

int procfs_read(pid_t pid, struct procfs *p)
{
	char path[96], buf[4096];
	struct dirent *e;
	struct stat st;
	pid_t live;
	DIR *d;
	int err;

	memset(p, 0, sizeof(*p));
	p->pid = pid;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((err = parse_stat(path, p, &p->state)))
		return err;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (procfs_read_file(path, buf, sizeof(buf)) > 0) {
		const char *u = strstr(buf, "\nUid:");
		unsigned long r = 0, e2 = 0;
		if (u)
			sscanf(u + 5, "%lu %lu", &r, &e2);
		p->ruid = (uid_t)r;
		p->euid = (uid_t)e2;
		p->shdpnd = hex_field(buf, "\nShdPnd:");
		p->sigign = hex_field(buf, "\nSigIgn:");
		p->sigcgt = hex_field(buf, "\nSigCgt:");
	}
	snprintf(path, sizeof(path), "/proc/%d/io", (int)pid);
	if (procfs_read_file(path, buf, sizeof(buf)) > 0) {
		const char *k;
		if ((k = strstr(buf, "rchar:")))
			p->rchar = strtoull(k + 6, NULL, 10);
		if ((k = strstr(buf, "wchar:")))
			p->wchar = strtoull(k + 6, NULL, 10);
		if ((k = strstr(buf, "syscw:")))
			p->syscw = strtoull(k + 6, NULL, 10);
	}
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	if ((d = opendir(path))) {
		while ((e = readdir(d))) {
			if (!isdigit((unsigned char)e->d_name[0]))
				continue;
			if (p->ntasks < PROCFS_MAX_TASKS)
				read_task(pid, atoi(e->d_name),
				          &p->tasks[p->ntasks++]);
		}
		closedir(d);
	}
	for (int i = 0; i < p->ntasks; i++)
		if (p->tasks[i].state != 'Z' && p->tasks[i].state != 'X')
			p->threads++;
	live = live_task(p);
	/* A leader that called pthread_exit is a zombie while its threads
	 * run: the process is as alive as they are. */
	if (p->state == 'Z' && live)
		for (int i = 0; i < p->ntasks; i++)
			if (p->tasks[i].tid == live)
				p->state = p->tasks[i].state;
	snprintf(path, sizeof(path), "/proc/%d/task/%d/exe", (int)pid,
	         (int)(live ? live : pid));
	if (stat(path, &st) == 0) {
		p->exe_known = true;
		p->exe_dev = st.st_dev;
		p->exe_ino = st.st_ino;
	}
	return 0;
}

static enum procfs_kind kind_of(const char *link, const struct stat *st,
                                const char *target)
{
	struct statfs fs;

	if (!strncmp(link, "pipe:", 5))
		return PROCFS_PIPE;
	if (!strncmp(link, "socket:", 7) || S_ISSOCK(st->st_mode))
		return PROCFS_SOCKET;
	if (!strncmp(link, "anon_inode:", 11))
		return PROCFS_ANON;
	if (S_ISFIFO(st->st_mode))
		return PROCFS_FIFO;
	if (S_ISDIR(st->st_mode))
		return PROCFS_DIR;
	if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
		return PROCFS_DEV;
	if (statfs(target, &fs) == 0 && fs.f_type == MQUEUE_MAGIC)
		return PROCFS_MQUEUE;
	if (!strncmp(link, "/dev/shm/", 9))
		return PROCFS_SHM;
	return S_ISREG(st->st_mode) ? PROCFS_FILE : PROCFS_OTHER;
}

int procfs_fds(pid_t pid, struct procfs_fd *out, int max, int *n)
{
	char dir[96], path[384], link[256], info[512];
	struct procfs *p = malloc(sizeof(*p));
	struct dirent *e;
	pid_t live;
	DIR *d;
	int err;

	*n = 0;
	if (!p)
		return -ENOMEM;
	if ((err = procfs_read(pid, p))) {
		free(p);
		return err;
	}
	live = live_task(p);
	free(p);
	if (!live)
		return 0; /* every thread exited: nothing is open any more */
	snprintf(dir, sizeof(dir), "/proc/%d/task/%d/fd", (int)pid, (int)live);
	if (!(d = opendir(dir)))
		return errno == ENOENT ? -ESRCH : -errno;
	while ((e = readdir(d))) {
		struct procfs_fd f = { 0 };
		struct stat st;
		ssize_t k;
		char *fl;

		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		f.fd = atoi(e->d_name);
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		k = readlink(path, link, sizeof(link) - 1);
		link[k > 0 ? k : 0] = '\0';
		if (stat(path, &st) < 0)
			continue; /* closed meanwhile */
		f.kind = kind_of(link, &st, path);
		f.dev = st.st_dev;
		f.ino = st.st_ino;
		snprintf(f.what, sizeof(f.what), "%.47s", link);
		snprintf(path, sizeof(path), "/proc/%d/task/%d/fdinfo/%s",
		         (int)pid, (int)live, e->d_name);
		if (procfs_read_file(path, info, sizeof(info)) > 0 &&
		    (fl = strstr(info, "flags:")))
			f.accmode = (int)(strtoul(fl + 6, NULL, 8) & O_ACCMODE);
		if (*n < max)
			out[*n] = f;
		(*n)++;
	}
	closedir(d);
	return 0;
}

const char *procfs_kind_name(enum procfs_kind k)
{
	static const char *const names[] = {
		[PROCFS_PIPE] = "pipe",     [PROCFS_FIFO] = "fifo",
		[PROCFS_SOCKET] = "socket", [PROCFS_FILE] = "file",
		[PROCFS_SHM] = "shm",       [PROCFS_MQUEUE] = "mqueue",
		[PROCFS_ANON] = "anon",     [PROCFS_DIR] = "dir",
		[PROCFS_DEV] = "dev",       [PROCFS_OTHER] = "other",
	};

	return (unsigned)k < sizeof(names) / sizeof(*names) ? names[k] : "?";
}

int procfs_children(pid_t pid, pid_t *out, int max)
{
	char path[384], buf[8192];
	struct dirent *e;
	int n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	if (!(d = opendir(path)))
		return 0;
	while ((e = readdir(d))) {
		char *at, *end;
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/children",
		         (int)pid, e->d_name);
		if (procfs_read_file(path, buf, sizeof(buf)) <= 0)
			continue;
		for (at = buf; n < max; at = end) {
			long c = strtol(at, &end, 10);
			if (end == at)
				break;
			out[n++] = (pid_t)c;
		}
	}
	closedir(d);
	return n;
}
