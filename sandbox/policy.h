/*
 * policy.h - the named seccomp policies, compiled once to BPF in the parent.
 *
 * policy_compile("ipc", notify, &prog) in the supervisor (it allocates and
 * caches); in the child call policy_install(&prog, notify) last before
 * execve(): it allocates nothing and returns the listener fd (or -errno).
 */
#ifndef SANDBOX_POLICY_H
#define SANDBOX_POLICY_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct policy_info {
	const char *name;
	const char *summary;
};

/* The policies, NULL-name terminated (borrowed). */
extern const struct policy_info policy_list[];

/* The static name of policy `name`, or NULL when there is no such one. */
const char *policy_lookup(const char *name);

/* Compile policy `name`; with notify, forbidden calls go to a user
 * notification listener instead of killing the process at once. *prog is
 * cached and borrowed. Returns 0, -ENOENT (no such policy) or -errno. */
int policy_compile(const char *name, bool notify, struct sock_fprog *prog);

/* In the child: no-new-privs, then load prog. Returns the listener fd when
 * notify, else 0; -errno on failure. Async-signal-safe. */
int policy_install(const struct sock_fprog *prog, bool notify);

/* Name of syscall nr of audit architecture arch (a notification's
 * data.nr and data.arch); "" when unknown. */
const char *policy_syscall_name(int nr, uint32_t arch, char *buf, size_t n);

/* "i386" or "x32" when the call came through another ABI of this CPU
 * than the native one; NULL for a native call. */
const char *policy_syscall_abi(int nr, uint32_t arch);

#endif
