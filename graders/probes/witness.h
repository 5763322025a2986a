/*
 * witness.h - the probes' side of the keeper's witness (sandbox/witness.h
 * has the protocol): what the kernel says of the run's processes, read as
 * root, so that a program cannot hide from a check. witness_open() once;
 * then witness_proc(), witness_fds(), witness_mem(), witness_cpu(), ...
 * Each returns 0 (or a count) or -errno; -ESRCH: the process is gone.
 */
#ifndef GRADERS_PROBES_WITNESS_H
#define GRADERS_PROBES_WITNESS_H

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/filter.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define WITNESS_MSG_MAX 65536
#define WITNESS_MEM_MAX 32768
#define WTASK_MAX       64

/* One of each per program, even one of several files (netprobe). */
__attribute__((weak)) int witness_fd = -1;
__attribute__((weak)) char witness_buf[WITNESS_MSG_MAX + 1];

/* Take the descriptor the keeper gave us; no program we start inherits
 * it. Returns whether there is one. */
static inline bool witness_open(void)
{
	const char *v = getenv("IPCGRADE_WITNESS_FD");
	int fd = v ? atoi(v) : -1;

	unsetenv("IPCGRADE_WITNESS_FD");
	if (fd < 3 || fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
		return false;
	witness_fd = fd;
	return true;
}

static inline int witness_errno(const char *reply)
{
	static const struct {
		const char *name;
		int e;
	} names[] = { { "ESRCH", ESRCH },   { "EACCES", EACCES },
		      { "EPERM", EPERM },   { "ENOENT", ENOENT },
		      { "EINVAL", EINVAL }, { "E2BIG", E2BIG },
		      { "ENOSPC", ENOSPC }, { "EIO", EIO } };

	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (!strncmp(reply + 4, names[i].name, strlen(names[i].name)))
			return -names[i].e;
	return -EIO;
}

/* One question, one answer: the reply in witness_buf (NUL-terminated),
 * its length in *len; -errno when the keeper said "err". */
static inline int witness_ask(size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static inline int witness_ask(size_t *len, const char *fmt, ...)
{
	char req[256];
	va_list ap;
	ssize_t k;
	int n;

	if (witness_fd < 0)
		return -ENOSYS;
	va_start(ap, fmt);
	n = vsnprintf(req, sizeof(req), fmt, ap);
	va_end(ap);
	if (n <= 0 || n >= (int)sizeof(req))
		return -EINVAL;
	while ((k = send(witness_fd, req, (size_t)n, MSG_NOSIGNAL)) < 0 &&
	       errno == EINTR)
		;
	if (k < 0)
		return -errno;
	while ((k = recv(witness_fd, witness_buf, WITNESS_MSG_MAX, 0)) < 0 &&
	       errno == EINTR)
		;
	if (k <= 0)
		return k < 0 ? -errno : -EPIPE;
	witness_buf[k] = '\0';
	*len = (size_t)k;
	if (!strncmp(witness_buf, "err ", 4))
		return witness_errno(witness_buf);
	return 0;
}

struct wtask {
	int tid;
	char state;
	long syscall; /* -1 running, -2 unknown */
	uint64_t sp, pc;
	char wchan[32];
	uint64_t sigblk, sigpnd;
};

struct wproc {
	int pid, ppid;
	char state;
	unsigned long long start;
	uint64_t exe_dev, exe_ino;
	double cpu, ccpu; /* own; waited-for children's */
	int threads;
	uint64_t sigcgt, sigign, shdpnd;
	unsigned ruid, euid;
	unsigned long minflt, cminflt;
	int exit_status;       /* a zombie's wait status, else -1 */
	uint64_t wchar, syscw; /* bytes written, write calls made */
	struct wtask tasks[WTASK_MAX];
	int ntasks;
};

static inline int witness_proc(pid_t who, struct wproc *p)
{
	size_t len;
	char *line, *save = NULL;
	int err = witness_ask(&len, "proc %d", (int)who);

	memset(p, 0, sizeof(*p));
	if (err)
		return err;
	for (line = strtok_r(witness_buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		struct wtask *t = &p->tasks[p->ntasks];
		if (!strncmp(line, "proc ", 5) &&
		    sscanf(line,
		           "proc %d ppid %d state %c start %llu exe %" SCNu64
		           ":%" SCNu64 " cpu %lf ccpu %lf threads %d "
		           "sigcgt %" SCNx64 " sigign %" SCNx64
		           " shdpnd %" SCNx64 " ruid %u euid %u minflt %lu "
		           "cminflt %lu exit %d wchar %" SCNu64
		           " syscw %" SCNu64,
		           &p->pid, &p->ppid, &p->state, &p->start, &p->exe_dev,
		           &p->exe_ino, &p->cpu, &p->ccpu, &p->threads,
		           &p->sigcgt, &p->sigign, &p->shdpnd, &p->ruid,
		           &p->euid, &p->minflt, &p->cminflt, &p->exit_status,
		           &p->wchar, &p->syscw) != 19)
			return -EIO;
		if (!strncmp(line, "task ", 5) && p->ntasks < WTASK_MAX &&
		    sscanf(line,
		           "task %d state %c syscall %ld sp %" SCNx64
		           " pc %" SCNx64 " wchan %31s sigblk %" SCNx64
		           " sigpnd %" SCNx64,
		           &t->tid, &t->state, &t->syscall, &t->sp, &t->pc,
		           t->wchan, &t->sigblk, &t->sigpnd) == 8)
			p->ntasks++;
	}
	return p->pid == who ? 0 : -EIO;
}

struct wfd {
	int fd;
	char kind[8]; /* pipe fifo socket file shm mqueue anon dir dev */
	uint64_t dev, ino;
	char mode[3];  /* r w rw */
	char what[64]; /* still %XX-escaped */
};

/* The descriptors of pid: *n of them in all, at most max kept. */
static inline int witness_fds(pid_t who, struct wfd *out, int max, int *n)
{
	size_t len;
	char *line, *save = NULL;
	int err = witness_ask(&len, "fds %d", (int)who), kept = 0;

	*n = 0;
	if (err)
		return err;
	for (line = strtok_r(witness_buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		struct wfd f;
		if (sscanf(line, "fds %d", n) == 1)
			continue;
		if (sscanf(line, "fd %d %7s %" SCNu64 ":%" SCNu64 " %2s %63s",
		           &f.fd, f.kind, &f.dev, &f.ino, f.mode,
		           f.what) == 6 &&
		    kept < max)
			out[kept++] = f;
	}
	return 0;
}

static inline int witness_children(pid_t who, pid_t *out, int max)
{
	size_t len;
	char *line, *save = NULL;
	int err = witness_ask(&len, "children %d", (int)who), n = 0, c;

	if (err)
		return err;
	for (line = strtok_r(witness_buf, "\n", &save); line && n < max;
	     line = strtok_r(NULL, "\n", &save))
		if (sscanf(line, "child %d", &c) == 1)
			out[n++] = c;
	return n;
}

/* The text of /proc/PID/maps (in witness_buf until the next question). */
static inline int witness_maps(pid_t who, const char **text)
{
	size_t len;
	int err = witness_ask(&len, "maps %d", (int)who);

	*text = witness_buf;
	return err;
}

/* len bytes of pid's memory at addr; how many came. */
static inline ssize_t witness_mem(pid_t who, uint64_t addr, void *buf,
                                  size_t len)
{
	size_t got;
	char *nl;
	long n;
	int err;

	if (len > WITNESS_MEM_MAX)
		len = WITNESS_MEM_MAX;
	if ((err = witness_ask(&got, "mem %d 0x%" PRIx64 " %zu", (int)who, addr,
	                       len)))
		return err;
	if (sscanf(witness_buf, "mem %ld", &n) != 1 || n < 0 ||
	    !(nl = memchr(witness_buf, '\n', got)) ||
	    (size_t)(nl + 1 - witness_buf) + (size_t)n > got || (size_t)n > len)
		return -EIO;
	memcpy(buf, nl + 1, (size_t)n);
	return n;
}

/* Count pid, and everything it starts from now on, in group name. */
static inline int witness_account(pid_t who, const char *name)
{
	size_t len;

	return witness_ask(&len, "account %d %s", (int)who, name);
}

/* CPU seconds of group name (NULL: the whole run) so far. */
static inline int witness_cpu(const char *name, double *seconds)
{
	size_t len;
	int err =
	    name ? witness_ask(&len, "cpu %s", name) : witness_ask(&len, "cpu");

	if (err)
		return err;
	return sscanf(witness_buf, "cpu %lf", seconds) == 1 ? 0 : -EIO;
}

/* The run's seccomp program (allocated; the caller keeps it). */
static inline int witness_filter(struct sock_fprog *prog)
{
	size_t len, bytes;
	unsigned n;
	char *nl;
	int err = witness_ask(&len, "filter");

	if (err)
		return err;
	if (sscanf(witness_buf, "filter %u", &n) != 1 || !n ||
	    !(nl = memchr(witness_buf, '\n', len)))
		return -EIO;
	bytes = (size_t)n * sizeof(struct sock_filter);
	if ((size_t)(nl + 1 - witness_buf) + bytes > len ||
	    !(prog->filter = malloc(bytes)))
		return -EIO;
	memcpy(prog->filter, nl + 1, bytes);
	prog->len = (unsigned short)n;
	return 0;
}

#endif
