/* clone3 must fail with ENOSYS, and threads must still work (row 33). */
#include <linux/sched.h>
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>

#include "hostile.h"

static void *thread(void *arg)
{
	return arg;
}

int main(void)
{
	struct clone_args args = { .exit_signal = SIGCHLD };
	pthread_t t;
	void *ret = NULL;
	long rc;
	int err;

	hostile_refuse_root();
	rc = syscall(SYS_clone3, &args, sizeof(args));
	if (rc == 0)
		_exit(0);
	expect_errno("clone3()", rc, ENOSYS, 0);
	args.flags = CLONE_NEWUSER;
	rc = syscall(SYS_clone3, &args, sizeof(args));
	if (rc == 0)
		_exit(0);
	expect_errno("clone3(CLONE_NEWUSER)", rc, ENOSYS, 0);
	err = pthread_create(&t, NULL, thread, &args);
	if (err || pthread_join(t, &ret) || ret != &args) {
		report("pthread_create -> %s", errname(err));
		return HOSTILE_BROKEN;
	}
	report("pthread_create still works");
	return HOSTILE_CONTAINED;
}
