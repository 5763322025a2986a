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
	struct procfs_fd fds[PROC_MAX_FDS];
	int n = 0;

	if (procfs_fds(p->pid, fds, PROC_MAX_FDS, &n))
		return;
	for (int i = 0; i < n && i < PROC_MAX_FDS; i++) {
		struct proc_fd *f = &p->fds[p->nfds++];
		f->fd = fds[i].fd;
		f->kind = fds[i].kind;
		f->ino = fds[i].ino;
		f->pipe = fds[i].kind == PROCFS_PIPE ? fds[i].ino : 0;
		f->write = fds[i].accmode != O_RDONLY;
	}
}

int proc_snapshot(uid_t uid, struct proc_snapshot *s)
{
	DIR *d = opendir("/proc");
	struct procfs *pf = malloc(sizeof(*pf));
	struct dirent *e;

	s->n = 0;
	if (!d || !pf) {
		if (d)
			closedir(d);
		free(pf);
		return -1;
	}
	while ((e = readdir(d)) && s->n < PROC_MAX_PROCS) {
		struct proc_info *p = &s->p[s->n];

		/* Also those hiding behind a root-owned entry. */
		if (!proctree_owned_by(dirfd(d), e->d_name, uid))
			continue;
		memset(p, 0, sizeof(*p));
		p->pid = atoi(e->d_name);
		if (procfs_read(p->pid, pf))
			continue;
		p->ppid = pf->ppid;
		p->state = pf->state;
		snprintf(p->comm, sizeof(p->comm), "%s", pf->comm);
		p->exe_dev = pf->exe_known ? pf->exe_dev : 0;
		p->exe_ino = pf->exe_known ? pf->exe_ino : 0;
		p->sigign = pf->sigign;
		p->sigcgt = pf->sigcgt;
		p->minflt = pf->minflt;
		p->cminflt = pf->cminflt;
		/* Where the process sleeps: its first live thread's wait. */
		for (int t = 0; t < pf->ntasks; t++)
			if (pf->tasks[t].state != 'Z') {
				snprintf(p->wchan, sizeof(p->wchan), "%s",
				         pf->tasks[t].wchan);
				p->sigblk = pf->tasks[t].sigblk;
				break;
			}
		p->io = pf->rchar + pf->wchar;
		read_fds(p);
		s->n++;
	}
	closedir(d);
	free(pf);
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
