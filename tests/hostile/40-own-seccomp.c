/* Installs its own allow-all seccomp filter and a listener (row 40). */
/* Allowed, but it must not weaken the sandbox's filter. */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "hostile.h"

int main(void)
{
	struct sock_filter allow[] = {
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { 1, allow };
	void *none = NULL;
	long rc;

	hostile_refuse_root();
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0) {
		report("installing an allow-all filter -> %s", errname(errno));
		return HOSTILE_BROKEN;
	}
	report("own allow-all filter installed");
	/* A second filter with a listener: EBUSY when ours has one. */
	rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
	             SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	report("filter with NEW_LISTENER -> %s",
	       rc < 0 ? errname(errno) : "ok");
	expect_errno("memfd_create()", memfd_create("x", 0), EPERM, 0);
	expect_errno("io_uring_setup()", syscall(SYS_io_uring_setup, 4, none),
	             ENOSYS, 0);
	return HOSTILE_CONTAINED;
}
