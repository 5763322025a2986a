/*
 * nsroot.h - build the inside of a full-tier sandbox (run by its PID 1).
 *
 * After clone(CLONE_NEWPID|NEWIPC|NEWNET|NEWNS|NEWUTS), the keeper calls
 * nsroot_setup() once, as root, before forking the program: read-only
 * system view, fresh /dev, /tmp, /dev/shm, /dev/mqueue and /proc, the work
 * dir read-write, hidden paths, loopback up, IPC quotas, the network
 * namespace's sysctls. Returns 0 or -errno.
 */
#ifndef SANDBOX_NSROOT_H
#define SANDBOX_NSROOT_H

#include <stddef.h>
#include <stdint.h>

struct nsroot_config {
	const char *root;               /* an empty root-owned directory */
	const char *workdir;            /* absolute; bound read-write */
	const char *const *hide;        /* absolute paths made empty */
	uint64_t tmpfs_bytes;           /* size of /tmp and of /dev/shm */
	const char *const *net_sysctls; /* "net/NAME=VALUE", or NULL */
	char *failed_step;              /* out: what failed, for messages */
	size_t failed_len;
};

int nsroot_setup(const struct nsroot_config *cfg);

#endif
