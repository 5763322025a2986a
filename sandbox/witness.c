#include "witness.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "procfs.h"
#include "proctree.h"

#define MAX_FDS 1024

void witness_init(struct witness *w, int fd, int acct_dirfd, int acct_version,
                  uid_t uid, bool whole_ns, const struct sock_fprog *prog)
{
	w->prog = prog;
	w->fd = fd;
	w->procfd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	w->uid = uid;
	w->whole_ns = whole_ns;
	account_init(&w->acct, acct_dirfd, acct_version, uid, whole_ns);
}

struct reply {
	char *buf;
	size_t len;
	bool over;
};

__attribute__((format(printf, 2, 3))) static void add(struct reply *r,
                                                      const char *fmt, ...)
{
	va_list ap;
	int n;

	if (r->over)
		return;
	va_start(ap, fmt);
	n = vsnprintf(r->buf + r->len, WITNESS_MSG_MAX - r->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= WITNESS_MSG_MAX - r->len)
		r->over = true;
	else
		r->len += (size_t)n;
}

static void escaped(struct reply *r, const char *s)
{
	for (; *s && !r->over; s++) {
		unsigned char c = (unsigned char)*s;
		if (c <= ' ' || c == '%' || c >= 0x7f)
			add(r, "%%%02X", c);
		else
			add(r, "%c", c);
	}
}

/* Only the run's processes, and never the keeper itself. */
static bool ours(const struct witness *w, pid_t pid)
{
	char name[24];

	if (pid <= 0 || pid == getpid())
		return false;
	if (w->whole_ns)
		return true;
	snprintf(name, sizeof(name), "%d", (int)pid);
	return w->procfd >= 0 && proctree_owned_by(w->procfd, name, w->uid);
}

static int do_proc(struct reply *r, pid_t pid)
{
	struct procfs *p = malloc(sizeof(*p));
	int err;

	if (!p)
		return -ENOMEM;
	if ((err = procfs_read(pid, p))) {
		free(p);
		return err;
	}
	add(r,
	    "proc %d ppid %d state %c start %llu exe %" PRIu64 ":%" PRIu64
	    " cpu %.4f ccpu %.4f threads %d sigcgt %" PRIx64 " sigign %" PRIx64
	    " shdpnd %" PRIx64 " ruid %u euid %u minflt %lu cminflt %lu"
	    " exit %d wchar %" PRIu64 " syscw %" PRIu64 "\n",
	    (int)pid, (int)p->ppid, p->state, p->start,
	    p->exe_known ? p->exe_dev : 0, p->exe_known ? p->exe_ino : 0,
	    p->utime + p->stime, p->cutime + p->cstime, p->threads, p->sigcgt,
	    p->sigign, p->shdpnd, (unsigned)p->ruid, (unsigned)p->euid,
	    p->minflt, p->cminflt, p->exit_status, p->wchar, p->syscw);
	for (int i = 0; i < p->ntasks; i++) {
		const struct procfs_task *t = &p->tasks[i];
		add(r,
		    "task %d state %c syscall %ld sp %" PRIx64 " pc %" PRIx64
		    " wchan ",
		    (int)t->tid, t->state, t->syscall, t->sp, t->pc);
		escaped(r, t->wchan[0] ? t->wchan : "-");
		add(r, " sigblk %" PRIx64 " sigpnd %" PRIx64 "\n", t->sigblk,
		    t->sigpnd);
	}
	free(p);
	return 0;
}

static int do_fds(struct reply *r, pid_t pid)
{
	static const char *const modes[] = { "r", "w", "rw", "?" };
	struct procfs_fd *f = calloc(MAX_FDS, sizeof(*f));
	int n, err;

	if (!f)
		return -ENOMEM;
	if ((err = procfs_fds(pid, f, MAX_FDS, &n))) {
		free(f);
		return err;
	}
	add(r, "fds %d\n", n);
	for (int i = 0; i < n && i < MAX_FDS; i++) {
		add(r, "fd %d %s %" PRIu64 ":%" PRIu64 " %s ", f[i].fd,
		    procfs_kind_name(f[i].kind), f[i].dev, f[i].ino,
		    modes[f[i].accmode & 3]);
		escaped(r, f[i].what[0] ? f[i].what : "-");
		add(r, "\n");
	}
	free(f);
	return 0;
}

static int do_children(struct reply *r, pid_t pid)
{
	pid_t kids[1024];
	int n = procfs_children(pid, kids, 1024);

	for (int i = 0; i < n; i++)
		add(r, "child %d\n", (int)kids[i]);
	return 0;
}

static int do_maps(struct reply *r, pid_t pid)
{
	char path[64];
	ssize_t k;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	/* Leave room for "end". */
	k = procfs_read_file(path, r->buf, WITNESS_MSG_MAX - 8);
	if (k < 0)
		return k == -ENOENT ? -ESRCH : (int)k;
	r->len = (size_t)k;
	if (r->len && r->buf[r->len - 1] != '\n')
		r->buf[r->len++] = '\n';
	return 0;
}

static int do_mem(struct reply *r, pid_t pid, unsigned long long addr,
                  size_t len)
{
	char path[64], head[32];
	ssize_t k;
	int fd, h;

	if (len > WITNESS_MEM_MAX)
		return -EINVAL;
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	k = pread(fd, r->buf + sizeof(head), len, (off_t)addr);
	close(fd);
	if (k < 0)
		return -errno;
	/* The line says how many bytes came, then the bytes. */
	h = snprintf(head, sizeof(head), "mem %zd\n", k);
	memmove(r->buf + h, r->buf + sizeof(head), (size_t)k);
	memcpy(r->buf, head, (size_t)h);
	r->len = (size_t)h + (size_t)k;
	return 0;
}

/* The request's words, at most max, split on spaces in place. */
static int split(char *s, char **w, int max)
{
	int n = 0;

	for (char *save = NULL, *t = strtok_r(s, " \n", &save); t && n < max;
	     t = strtok_r(NULL, " \n", &save))
		w[n++] = t;
	return n;
}

bool witness_serve(struct witness *w)
{
	char req[256], *word[6];
	struct reply r = { 0 };
	ssize_t k;
	int n, err = -EINVAL;
	pid_t pid;

	k = recv(w->fd, req, sizeof(req) - 1, 0);
	if (k < 0 && errno == EINTR)
		return true;
	if (k <= 0)
		return false;
	req[k] = '\0';
	if (!(r.buf = malloc(WITNESS_MSG_MAX)))
		return true;
	n = split(req, word, 6);
	pid = n >= 2 ? (pid_t)atoi(word[1]) : 0;
	if (n >= 1 && !strcmp(word[0], "cpu") && n <= 2) {
		double s;
		const char *how;
		if (!(err = account_usage(&w->acct, n == 2 ? word[1] : NULL, &s,
		                          &how)))
			add(&r, "cpu %.6f %s\n", s, how);
	} else if (n == 1 && !strcmp(word[0], "filter")) {
		size_t bytes = w->prog->len * sizeof(*w->prog->filter);
		add(&r, "filter %u\n", (unsigned)w->prog->len);
		if (r.len + bytes + 8 > WITNESS_MSG_MAX) {
			err = -E2BIG;
		} else {
			memcpy(r.buf + r.len, w->prog->filter, bytes);
			r.len += bytes;
			err = 0;
		}
	} else if (n >= 2 && !ours(w, pid)) {
		err = -ESRCH;
	} else if (n == 2 && !strcmp(word[0], "proc")) {
		err = do_proc(&r, pid);
	} else if (n == 2 && !strcmp(word[0], "fds")) {
		err = do_fds(&r, pid);
	} else if (n == 2 && !strcmp(word[0], "children")) {
		err = do_children(&r, pid);
	} else if (n == 2 && !strcmp(word[0], "maps")) {
		err = do_maps(&r, pid);
	} else if (n == 4 && !strcmp(word[0], "mem")) {
		err = do_mem(&r, pid, strtoull(word[2], NULL, 0),
		             strtoul(word[3], NULL, 10));
	} else if (n == 3 && !strcmp(word[0], "account")) {
		err = account_join(&w->acct, pid, word[2]);
	}
	if (!err && r.over)
		err = -E2BIG;
	if (err) {
		const char *name = strerrorname_np(-err);
		r.len = 0;
		r.over = false;
		add(&r, "err %s\n", name ? name : "EIO");
	} else {
		add(&r, "end\n");
	}
	if (send(w->fd, r.buf, r.len, MSG_NOSIGNAL) < 0) {
		/* the probe is gone; the next recv says so */
	}
	free(r.buf);
	return true;
}
