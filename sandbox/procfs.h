/*
 * procfs.h - what the kernel says about one process, read from /proc: every
 * thread's state, wait and signal mask, the process's handlers, CPU time,
 * executable, and descriptors of every kind (read through a live thread, so
 * a leader that called pthread_exit still shows them). procfs_read(pid, &p)
 * and procfs_fds(pid, ...); 0 or -errno (-ESRCH: gone, -EACCES: hidden).
 */
#ifndef SANDBOX_PROCFS_H
#define SANDBOX_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define PROCFS_MAX_TASKS 64

struct procfs_task {
	pid_t tid;
	char state;      /* R S D T t Z X, '?' unknown */
	char wchan[32];  /* where it sleeps, "" when running or hidden */
	long syscall;    /* the call it is blocked in; -1 running, -2 unknown */
	uint64_t sp, pc; /* its user stack and instruction pointers then */
	uint64_t sigblk; /* blocked signals (bit sig-1) */
	uint64_t sigpnd; /* pending for this thread */
};

struct procfs {
	pid_t pid, ppid;
	char state;    /* a live thread's when the leader is a zombie */
	char comm[16]; /* for messages only: never to tell processes apart */
	bool exe_known;
	uint64_t exe_dev, exe_ino;     /* what it runs */
	unsigned long long start;      /* start time (clock ticks after boot) */
	double utime, stime;           /* its own, every thread's */
	double cutime, cstime;         /* children it waited for */
	unsigned long minflt, cminflt; /* the same for minor faults */
	uint64_t sigcgt, sigign, shdpnd; /* handlers, ignored, shared pending */
	uid_t ruid, euid;
	int exit_status; /* a zombie's wait status (as waitpid gives), else -1
	                  */
	int threads;     /* live threads */
	/* /proc/PID/io: bytes read and written through any descriptor, and
	 * write calls made (every thread, waited children not counted) */
	uint64_t rchar, wchar, syscw;
	struct procfs_task tasks[PROCFS_MAX_TASKS];
	int ntasks; /* tasks listed (at most PROCFS_MAX_TASKS) */
};

/* Fill *p; 0, -ESRCH when the process is gone (or was never there). */
int procfs_read(pid_t pid, struct procfs *p);

/* The little that a scan of every process needs (stat alone). */
struct procfs_brief {
	pid_t ppid;
	char state;
	unsigned long long start;
	double cpu, children_cpu; /* own user+system; waited-for children's */
};

int procfs_brief(pid_t pid, struct procfs_brief *b);

enum procfs_kind {
	PROCFS_PIPE,   /* an anonymous pipe */
	PROCFS_FIFO,   /* a named pipe */
	PROCFS_SOCKET, /* any socket */
	PROCFS_FILE,   /* a regular file (not below) */
	PROCFS_SHM,    /* a POSIX shared-memory object (a file of /dev/shm) */
	PROCFS_MQUEUE, /* a POSIX message queue */
	PROCFS_ANON,   /* eventfd, signalfd, timerfd, epoll, pidfd, ... */
	PROCFS_DIR,
	PROCFS_DEV, /* a character or block device */
	PROCFS_OTHER,
};

struct procfs_fd {
	int fd;
	enum procfs_kind kind;
	uint64_t dev, ino; /* what it refers to (a pipe's inode, say) */
	int accmode;       /* O_RDONLY, O_WRONLY or O_RDWR */
	char what[48];     /* "pipe:[123]", "/tmp/x", "anon_inode:[eventfd]" */
};

/* The descriptors of pid (max at most); *n is how many there are, which
 * may exceed max. Returns 0, -ESRCH, or -EACCES. */
int procfs_fds(pid_t pid, struct procfs_fd *out, int max, int *n);

/* Stable lower-case names: "pipe", "fifo", "socket", ... */
const char *procfs_kind_name(enum procfs_kind k);

/* Whether a thread's state means it waits by itself (not running, not in
 * an uninterruptible kernel step). */
bool procfs_task_sleeps(const struct procfs_task *t);

/* The children of pid, of every thread (at most max); how many found. */
int procfs_children(pid_t pid, pid_t *out, int max);

/* Read up to n-1 bytes of a /proc file, NUL-terminated; bytes or -errno. */
ssize_t procfs_read_file(const char *path, char *buf, size_t n);

#endif
