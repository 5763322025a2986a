#include "account.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cgroup.h"
#include "procfs.h"
#include "proctree.h"

void account_init(struct account *a, int dirfd, int version, uid_t uid,
                  bool whole_ns)
{
	memset(a, 0, sizeof(*a));
	a->dirfd = dirfd;
	a->version = dirfd >= 0 ? version : 0;
	a->uid = uid;
	a->whole_ns = whole_ns;
}

static int group_of(struct account *a, const char *name, bool make)
{
	for (int i = 0; i < a->ngroups; i++)
		if (!strcmp(a->names[i], name))
			return i;
	if (!make || a->ngroups == ACCOUNT_GROUPS || strlen(name) > 48)
		return -1;
	strcpy(a->names[a->ngroups], name);
	return a->ngroups++;
}

static int find_member(const struct account *a, pid_t pid,
                       unsigned long long start)
{
	for (int i = 0; i < a->nm; i++)
		if (a->m[i].pid == pid && a->m[i].start == start)
			return i;
	return -1;
}

int account_join(struct account *a, pid_t pid, const char *name)
{
	struct procfs_brief b;
	int g = group_of(a, name, true), i;

	if (g < 0)
		return -ENOSPC;
	if (a->version)
		return cgroup_acct_join(a->dirfd, name, pid);
	if (procfs_brief(pid, &b))
		return -ESRCH;
	if ((i = find_member(a, pid, b.start)) >= 0) {
		a->m[i].group = g;
		return 0;
	}
	if (a->nm == ACCOUNT_MEMBERS)
		return -ENOSPC;
	a->m[a->nm++] = (struct account_member){ pid, b.ppid, b.start, 0, g };
	return 0;
}

struct seen {
	pid_t pid;
	struct procfs_brief b;
};

/* Every live process of the run but the caller (the keeper). */
static int scan(const struct account *a, struct seen *out, int max)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	pid_t self = getpid();
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) && n < max) {
		pid_t pid;
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		pid = atoi(e->d_name);
		if (pid == self ||
		    (!a->whole_ns &&
		     !proctree_owned_by(dirfd(d), e->d_name, a->uid)))
			continue;
		if (procfs_brief(pid, &out[n].b) == 0)
			out[n++].pid = pid;
	}
	closedir(d);
	return n;
}

static const struct seen *lookup(const struct seen *s, int n, pid_t pid)
{
	for (int i = 0; i < n; i++)
		if (s[i].pid == pid)
			return &s[i];
	return NULL;
}

/* Bring the members up to date with what lives now. */
static void refresh(struct account *a, const struct seen *s, int n)
{
	/* Newcomers: a live process whose ancestor is a member. */
	for (int i = 0; i < n; i++) {
		const struct seen *up = &s[i];
		int k = find_member(a, s[i].pid, s[i].b.start);
		for (int depth = 0; k < 0 && up && depth < 64; depth++) {
			up = lookup(s, n, up->b.ppid);
			if (up)
				k = find_member(a, up->pid, up->b.start);
		}
		if (k >= 0 && find_member(a, s[i].pid, s[i].b.start) < 0 &&
		    a->nm < ACCOUNT_MEMBERS)
			a->m[a->nm++] =
			    (struct account_member){ s[i].pid, s[i].b.ppid,
				                     s[i].b.start, 0,
				                     a->m[k].group };
	}
	/* The gone: their time went to whoever waited for them. Unless
	 * that is a member of the group, it leaves the group's sum now. */
	for (int i = 0; i < a->nm;) {
		struct account_member *m = &a->m[i];
		const struct seen *now = lookup(s, n, m->pid);
		const struct seen *parent;
		bool waited_in_group = false;

		if (now && now->b.start == m->start) {
			m->cpu = now->b.cpu + now->b.children_cpu;
			m->ppid = now->b.ppid;
			i++;
			continue;
		}
		parent = lookup(s, n, m->ppid);
		for (int j = 0; parent && j < a->nm; j++)
			if (a->m[j].pid == parent->pid &&
			    a->m[j].start == parent->b.start &&
			    a->m[j].group == m->group)
				waited_in_group = true;
		if (!waited_in_group)
			a->frozen[m->group] += m->cpu;
		*m = a->m[--a->nm];
	}
}

int account_usage(struct account *a, const char *name, double *seconds,
                  const char **how)
{
	struct seen *s;
	double sum = 0;
	int g = name ? group_of(a, name, false) : -1, n, err;

	if (name && g < 0)
		return -ENOENT;
	if (a->version) {
		*how = "cgroup";
		if ((err = cgroup_acct_usage(a->dirfd, a->version, name,
		                             seconds)))
			return err;
		if (g >= 0) {
			if (*seconds < a->best[g])
				*seconds = a->best[g];
			a->best[g] = *seconds;
		}
		return 0;
	}
	*how = "lineage";
	if (!(s = calloc(ACCOUNT_MEMBERS, sizeof(*s))))
		return -ENOMEM;
	n = scan(a, s, ACCOUNT_MEMBERS);
	refresh(a, s, n);
	if (g < 0) {
		/* The run: every live process, and what the keeper reaped. */
		struct rusage ru;
		for (int i = 0; i < n; i++)
			sum += s[i].b.cpu + s[i].b.children_cpu;
		getrusage(RUSAGE_CHILDREN, &ru);
		sum += ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
		       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
		*seconds = sum;
		free(s);
		return 0;
	}
	sum = a->frozen[g];
	for (int i = 0; i < a->nm; i++)
		if (a->m[i].group == g)
			sum += a->m[i].cpu;
	free(s);
	if (sum < a->best[g])
		sum = a->best[g];
	*seconds = a->best[g] = sum;
	return 0;
}
