/* clone(CLONE_NEWUSER|CLONE_NEWNET): a violation naming clone (row 33). */
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>

#include "hostile.h"

int main(void)
{
	long rc;

	hostile_refuse_root();
	rc = syscall(SYS_clone, CLONE_NEWUSER | CLONE_NEWNET | SIGCHLD, NULL,
	             NULL, NULL, 0);
	if (rc == 0)
		_exit(0);
	return not_killed("clone(CLONE_NEWUSER|CLONE_NEWNET)", rc);
}
