#include "proc.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proctree.h"

ssize_t proc_read_small(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r;

	if (fd < 0)
		return -1;
	r = read(fd, buf, n - 1);
	close(fd);
	buf[r > 0 ? r : 0] = '\0';
	return r;
}

static void read_fds(struct proc_info *p)
{
	char dir[64], path[384], link[128], info[256];
	struct dirent *e;
	DIR *d;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)p->pid);
	d = opendir(dir);
	if (!d)
		return;
	while ((e = readdir(d)) && p->nfds < PROC_MAX_FDS) {
		struct proc_fd *f;
		ssize_t n;
		char *fl;
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		f = &p->fds[p->nfds++];
		f->fd = atoi(e->d_name);
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		link[n > 0 ? n : 0] = '\0';
		if (sscanf(link, "pipe:[%lu]", &f->pipe) != 1)
			f->pipe = 0;
		snprintf(path, sizeof(path), "/proc/%d/fdinfo/%s", (int)p->pid,
		         e->d_name);
		if (proc_read_small(path, info, sizeof(info)) > 0 &&
		    (fl = strstr(info, "flags:")))
			f->write =
			    (strtoul(fl + 6, NULL, 8) & O_ACCMODE) != O_RDONLY;
	}
	closedir(d);
}

int proc_snapshot(uid_t uid, struct proc_snapshot *s)
{
	DIR *d = opendir("/proc");
	struct dirent *e;

	s->n = 0;
	if (!d)
		return -1;
	while ((e = readdir(d)) && s->n < PROC_MAX_PROCS) {
		char path[64], buf[1024], *q;
		struct proc_info *p = &s->p[s->n];
		unsigned long long rc = 0, wc = 0;

		/* Also those hiding behind a root-owned entry. */
		if (!proctree_owned_by(dirfd(d), e->d_name, uid))
			continue;
		memset(p, 0, sizeof(*p));
		p->pid = atoi(e->d_name);
		snprintf(path, sizeof(path), "/proc/%d/stat", (int)p->pid);
		if (proc_read_small(path, buf, sizeof(buf)) <= 0 ||
		    !(q = strrchr(buf, ')')))
			continue;
		sscanf(q + 2, "%c %d", &p->state, &p->ppid);
		if ((q = strchr(buf, '(')))
			snprintf(p->comm, sizeof(p->comm), "%.*s",
			         (int)(strrchr(buf, ')') - q - 1), q + 1);
		snprintf(path, sizeof(path), "/proc/%d/wchan", (int)p->pid);
		proc_read_small(path, p->wchan, sizeof(p->wchan));
		snprintf(path, sizeof(path), "/proc/%d/io", (int)p->pid);
		if (proc_read_small(path, buf, sizeof(buf)) > 0)
			sscanf(buf, "rchar: %llu wchar: %llu", &rc, &wc);
		p->io = rc + wc;
		read_fds(p);
		s->n++;
	}
	closedir(d);
	return 0;
}

const char *proc_waiting_for(const struct proc_info *p)
{
	static const struct {
		const char *wchan, *what;
	} map[] = {
		{ "pipe_read", "waiting to read from a pipe" },
		{ "pipe_write", "blocked writing to a full pipe" },
		{ "do_wait", "waiting for a child to end" },
		{ "kernel_wait", "waiting for a child to end" },
		{ "wait_woken", "waiting on a socket or terminal" },
		{ "hrtimer_nanosleep", "sleeping" },
		{ "do_nanosleep", "sleeping" },
		{ "do_select", "in select()" },
		{ "do_sys_poll", "in poll()" },
		{ "futex", "waiting on a futex" },
		{ "sigsuspend", "waiting for a signal" },
		{ "do_sigtimedwait", "waiting for a signal" },
	};

	if (p->state == 'Z')
		return "a zombie nobody waited for";
	if (p->state == 'T' || p->state == 't')
		return "stopped";
	for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++)
		if (strstr(p->wchan, map[i].wchan))
			return map[i].what;
	return p->state == 'R' ? "running" : "sleeping";
}
