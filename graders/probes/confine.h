/*
 * confine.h - what a probe does in the child just before it executes a
 * student's program. confine_student(): a Landlock domain of its own, so the
 * program cannot read the /proc files of, ptrace, signal or reach the
 * abstract sockets of the probe, the reference or the keeper. confine_listen():
 * the run's filter plus watched calls, with a listener the probe holds.
 */
#ifndef GRADERS_PROBES_CONFINE_H
#define GRADERS_PROBES_CONFINE_H

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fdpass.h"

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#define SYS_landlock_restrict_self  446
#endif
#define CONFINE_FS_MAKE_BLOCK       (1ULL << 11)
#define CONFINE_SCOPE_ABSTRACT_UNIX (1ULL << 0)
#define CONFINE_SCOPE_SIGNAL        (1ULL << 1)
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

/* The Landlock ABI of this kernel, 0 without Landlock. */
static inline int confine_landlock_abi(void)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, 1U << 0);

	return abi > 0 ? (int)abi : 0;
}

/*
 * In the child, before exec. A nested Landlock domain: Landlock lets a
 * process ptrace (and so open /proc/PID/{fd,mem,maps,environ,...} of) only
 * processes of its own domain or nested ones, from ABI 1; from ABI 6 it also
 * keeps signals and abstract Unix sockets inside. The only access handled,
 * making block devices, is one no program here may have anyway.
 * Returns 0, -EOPNOTSUPP without Landlock, or -errno.
 */
static inline int confine_student(void)
{
	struct {
		uint64_t handled_access_fs, handled_access_net, scoped;
	} attr = { CONFINE_FS_MAKE_BLOCK, 0, 0 };
	int abi = confine_landlock_abi(), fd;
	size_t size = sizeof(attr.handled_access_fs);

	if (!abi)
		return -EOPNOTSUPP;
	if (abi >= 6) {
		attr.scoped =
		    CONFINE_SCOPE_ABSTRACT_UNIX | CONFINE_SCOPE_SIGNAL;
		size = sizeof(attr);
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	fd = (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0);
	if (fd < 0)
		return -errno;
	if (syscall(SYS_landlock_restrict_self, fd, 0) < 0) {
		int e = errno;
		close(fd);
		return -e;
	}
	close(fd);
	return 0;
}

/*
 * The run's program with, in front of it, "notify" for each call in
 * watch[] (native numbers). Allocated; free(prog->filter).
 */
static inline int confine_program(const struct sock_fprog *run,
                                  const int *watch, int nwatch,
                                  struct sock_fprog *prog)
{
	size_t n = 4 + (size_t)nwatch * 2 + run->len, k = 0;
	struct sock_filter *f;

	if (n > BPF_MAXINSNS || nwatch > 100)
		return -E2BIG;
	if (!(f = calloc(n, sizeof(*f))))
		return -ENOMEM;
	f[k++] = (struct sock_filter)BPF_STMT(
	    BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
#if defined(__x86_64__)
	f[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
	                                      AUDIT_ARCH_X86_64, 0,
	                                      (uint8_t)(2 + 2 * nwatch));
#else
	f[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JA, 0, 0, 0);
#endif
	f[k++] = (struct sock_filter)BPF_STMT(
	    BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	for (int i = 0; i < nwatch; i++) {
		f[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
		                                      (uint32_t)watch[i], 0, 1);
		f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
		                                      SECCOMP_RET_USER_NOTIF);
	}
	/* Not watched: on to the run's own program. */
	f[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JA, 0, 0, 0);
	memcpy(f + k, run->filter, run->len * sizeof(*f));
	prog->filter = f;
	prog->len = (unsigned short)n;
	return 0;
}

/*
 * In the child, last before exec: install prog with a listener (waiting
 * killably once a notification is taken, where the kernel can) and send
 * the listener to the parent on sock. 0 or -errno.
 */
static inline int confine_listen(const struct sock_fprog *prog, int sock)
{
	unsigned long flags = SECCOMP_FILTER_FLAG_NEW_LISTENER |
	                      SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
	long fd;
	int err;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, prog);
	if (fd < 0 && errno == EINVAL)
		fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
		             SECCOMP_FILTER_FLAG_NEW_LISTENER, prog);
	if (fd < 0)
		return -errno;
	err = fdpass_send(sock, (int)fd);
	close((int)fd);
	return err;
}

#endif
