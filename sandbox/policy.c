#include "policy.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

const struct policy_info policy_list[] = {
	{ "ipc", "pipes, fork/exec, SysV and POSIX IPC, signals, "
	         "AF_UNIX/AF_INET/AF_INET6 sockets" },
	{ "ipc-nosock", "as ipc, but AF_INET/AF_INET6 sockets are forbidden" },
	{ NULL, NULL },
};

/* Never legitimate in an assignment: ends the run, named in the result. */
static const char *const forbidden[] = {
	"unshare",
	"setns",
	"mount",
	"umount2",
	"pivot_root",
	"chroot",
	"fsopen",
	"fsconfig",
	"fsmount",
	"fspick",
	"move_mount",
	"open_tree",
	"mount_setattr",
	"ptrace",
	"process_vm_readv",
	"process_vm_writev",
	"pidfd_getfd",
	"kcmp",
	"bpf",
	"perf_event_open",
	"userfaultfd",
	"keyctl",
	"add_key",
	"request_key",
	"kexec_load",
	"kexec_file_load",
	"init_module",
	"finit_module",
	"delete_module",
	"reboot",
	"swapon",
	"swapoff",
	"iopl",
	"ioperm",
	"acct",
	"settimeofday",
	"clock_settime",
	"clock_adjtime",
	"adjtimex",
	"syslog",
	"quotactl",
	"quotactl_fd",
	"lookup_dcookie",
	"open_by_handle_at",
	"name_to_handle_at",
	"uselib",
	"vhangup",
	"fanotify_init",
};

/* Their flags or structs hide behind a pointer: make libc fall back. */
static const char *const enosys[] = {
	"clone3",
	"io_uring_setup",
	"io_uring_enter",
	"io_uring_register",
};

/* Namespace flags of clone(2) (Docker's mask 0x7E020000, bit by bit). */
static const unsigned long clone_ns_flags[] = {
	0x00020000, 0x02000000, 0x04000000, 0x08000000,
	0x10000000, 0x20000000, 0x40000000,
};

/* personality(2) bits that weaken ASLR or NX. */
static const unsigned long bad_persona[] = {
	0x0040000 /* ADDR_NO_RANDOMIZE */,  0x0100000 /* MMAP_PAGE_ZERO */,
	0x0200000 /* ADDR_COMPAT_LAYOUT */, 0x0400000 /* READ_IMPLIES_EXEC */,
	0x0800000 /* ADDR_LIMIT_32BIT */,   0x8000000 /* ADDR_LIMIT_3GB */,
};

#define LOW32 0xffffffffUL

static int add_named(scmp_filter_ctx ctx, uint32_t action, const char *name)
{
	int nr = seccomp_syscall_resolve_name(name);
	if (nr == __NR_SCMP_ERROR)
		return 0; /* not on this architecture */
	return seccomp_rule_add(ctx, action, nr, 0);
}

/* socket()/socketpair(): only AF_UNIX, AF_INET, AF_INET6; no raw types. */
static int add_socket_rules(scmp_filter_ctx ctx, int nr, bool inet_forbidden,
                            uint32_t violation)
{
	int err = 0;

	for (unsigned fam = 0; fam < AF_MAX && !err; fam++) {
		uint32_t act = SCMP_ACT_ERRNO(EAFNOSUPPORT);
		if (fam == AF_UNIX)
			continue;
		if (fam == AF_INET || fam == AF_INET6) {
			if (!inet_forbidden)
				continue;
			act = violation;
		}
		err = seccomp_rule_add(ctx, act, nr, 1,
		                       SCMP_A0(SCMP_CMP_MASKED_EQ, LOW32, fam));
	}
	if (!err)
		err = seccomp_rule_add(
		    ctx, SCMP_ACT_ERRNO(EPERM), nr, 1,
		    SCMP_A1(SCMP_CMP_MASKED_EQ, 0xf, SOCK_RAW));
	if (!err)
		err = seccomp_rule_add(
		    ctx, SCMP_ACT_ERRNO(EPERM), nr, 1,
		    SCMP_A1(SCMP_CMP_MASKED_EQ, 0xf, SOCK_PACKET));
	return err;
}

static int build(scmp_filter_ctx ctx, const char *name, uint32_t violation)
{
	bool nosock = !strcmp(name, "ipc-nosock");
	int err = 0;
	size_t i;

	for (i = 0; i < sizeof(forbidden) / sizeof(*forbidden) && !err; i++)
		err = add_named(ctx, violation, forbidden[i]);
	for (i = 0; i < sizeof(enosys) / sizeof(*enosys) && !err; i++)
		err = add_named(ctx, SCMP_ACT_ERRNO(ENOSYS), enosys[i]);
	for (i = 0; i < sizeof(clone_ns_flags) / sizeof(long) && !err; i++)
		err = seccomp_rule_add(ctx, violation, SCMP_SYS(clone), 1,
		                       SCMP_A0(SCMP_CMP_MASKED_EQ,
		                               clone_ns_flags[i],
		                               clone_ns_flags[i]));
	/* personality(): a bad bit set with bit 31 clear; or bit 31 set
	 * with any other low bit clear. That leaves the query 0xffffffff
	 * (libseccomp 2.5 allows one comparison per argument and rule). */
	for (i = 0; i < sizeof(bad_persona) / sizeof(long) && !err; i++)
		err = seccomp_rule_add(ctx, violation, SCMP_SYS(personality), 1,
		                       SCMP_A0(SCMP_CMP_MASKED_EQ,
		                               bad_persona[i] | 0x80000000UL,
		                               bad_persona[i]));
	for (i = 0; i < 31 && !err; i++)
		err = seccomp_rule_add(ctx, violation, SCMP_SYS(personality), 1,
		                       SCMP_A0(SCMP_CMP_MASKED_EQ,
		                               0x80000000UL | 1UL << i,
		                               0x80000000UL));
	if (!err)
		err =
		    add_socket_rules(ctx, SCMP_SYS(socket), nosock, violation);
	if (!err)
		err = add_socket_rules(ctx, SCMP_SYS(socketpair), nosock,
		                       violation);
	if (!err)
		err = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM),
		                       SCMP_SYS(memfd_create), 0);
	if (!err)
		err = seccomp_rule_add(
		    ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
		    SCMP_A1(SCMP_CMP_MASKED_EQ, LOW32, TIOCSTI));
	if (!err)
		err = seccomp_rule_add(
		    ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
		    SCMP_A1(SCMP_CMP_MASKED_EQ, LOW32, TIOCLINUX));
	if (!err)
		err = seccomp_rule_add(
		    ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(prctl), 1,
		    SCMP_A0(SCMP_CMP_MASKED_EQ, LOW32, PR_SET_MM));
	return err;
}

const char *policy_lookup(const char *name)
{
	for (const struct policy_info *p = policy_list; p->name; p++)
		if (!strcmp(p->name, name))
			return p->name;
	return NULL;
}

/* Export ctx as raw BPF into a malloc'd program (libseccomp 2.5 can only
 * export to an fd, so go through an anonymous temp file). */
static int export(scmp_filter_ctx ctx, struct sock_fprog *prog)
{
	FILE *f = tmpfile();
	long size;
	void *buf = NULL;
	int err;

	if (!f)
		return -errno;
	if ((err = seccomp_export_bpf(ctx, fileno(f))))
		goto out;
	fflush(f);
	size = ftell(f);
	if (size <= 0 || size % sizeof(struct sock_filter)) {
		err = -EIO;
		goto out;
	}
	buf = malloc(size);
	if (!buf) {
		err = -ENOMEM;
		goto out;
	}
	rewind(f);
	if (fread(buf, 1, size, f) != (size_t)size) {
		err = -EIO;
		goto out;
	}
	prog->len = size / sizeof(struct sock_filter);
	prog->filter = buf;
	buf = NULL;
out:
	free(buf);
	fclose(f);
	return err;
}

/*
 * With a listener, a call through another ABI of this CPU (i386's int 0x80,
 * x32's numbers) goes to it too, so that the result can name it: libseccomp
 * can only kill those (its bad-architecture action). These instructions
 * run before libseccomp's program, which loads what it needs itself.
 */
#if defined(__x86_64__)
#define X32_SYSCALL_BIT 0x40000000U
static const struct sock_filter foreign_abi[] = {
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_I386, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 3),
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
	BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, X32_SYSCALL_BIT, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
};

static int prepend_foreign_abi(struct sock_fprog *prog)
{
	size_t n = sizeof(foreign_abi) / sizeof(*foreign_abi);
	struct sock_filter *f = malloc((n + prog->len) * sizeof(*f));

	if (!f)
		return -ENOMEM;
	memcpy(f, foreign_abi, sizeof(foreign_abi));
	memcpy(f + n, prog->filter, prog->len * sizeof(*f));
	free(prog->filter);
	prog->filter = f;
	prog->len += n;
	return 0;
}
#else
static int prepend_foreign_abi(struct sock_fprog *prog)
{
	(void)prog;
	return 0;
}
#endif

int policy_compile(const char *name, bool notify, struct sock_fprog *prog)
{
	static struct {
		const char *name;
		bool notify;
		struct sock_fprog prog;
	} cache[8];
	const char *known = policy_lookup(name);
	uint32_t violation = notify ? SCMP_ACT_NOTIFY : SCMP_ACT_KILL_PROCESS;
	scmp_filter_ctx ctx;
	int err;
	size_t i;

	if (!known)
		return -ENOENT;
	for (i = 0; i < sizeof(cache) / sizeof(*cache) && cache[i].name; i++)
		if (cache[i].name == known && cache[i].notify == notify) {
			*prog = cache[i].prog;
			return 0;
		}
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx)
		return -ENOMEM;
	/* Another architecture or the x32 ABI: kill the whole process
	 * (the default, SCMP_ACT_KILL, only kills the thread). */
	err = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
	                       SCMP_ACT_KILL_PROCESS);
	if (!err)
		err = build(ctx, known, violation);
	if (!err)
		err = export(ctx, prog);
	if (!err && notify && (err = prepend_foreign_abi(prog)))
		free(prog->filter);
	seccomp_release(ctx);
	if (err)
		return err;
	if (i < sizeof(cache) / sizeof(*cache)) {
		cache[i].name = known;
		cache[i].notify = notify;
		cache[i].prog = *prog;
	}
	return 0;
}

int policy_install(const struct sock_fprog *prog, bool notify)
{
	long fd;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
	             notify ? SECCOMP_FILTER_FLAG_NEW_LISTENER : 0, prog);
	if (fd < 0)
		return -errno;
	return notify ? (int)fd : 0;
}

const char *policy_syscall_abi(int nr, uint32_t arch)
{
#if defined(__x86_64__)
	if (arch == AUDIT_ARCH_I386)
		return "i386";
	if (arch == AUDIT_ARCH_X86_64 && ((unsigned)nr & X32_SYSCALL_BIT))
		return "x32";
#else
	(void)nr;
	(void)arch;
#endif
	return NULL;
}

const char *policy_syscall_name(int nr, uint32_t arch, char *buf, size_t n)
{
	const char *abi = policy_syscall_abi(nr, arch);
	char *s;

	/* libseccomp's tokens for the audit architectures are the same
	 * numbers; x32 is x86_64's with the x32 bit in the call number. */
	if (abi && !strcmp(abi, "x32"))
		arch = SCMP_ARCH_X32;
	s = seccomp_syscall_resolve_num_arch(arch, nr);
	snprintf(buf, n, "%s", s ? s : "");
	free(s);
	return buf;
}
