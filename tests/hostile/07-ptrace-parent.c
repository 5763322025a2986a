/* ptrace(PTRACE_ATTACH) of the parent: a violation naming ptrace (row 7). */
#include <sys/ptrace.h>

#include "hostile.h"

int main(void)
{
	long rc;

	hostile_refuse_root();
	rc = ptrace(PTRACE_ATTACH, getppid(), NULL, NULL);
	return not_killed("ptrace(PTRACE_ATTACH, parent)", rc);
}
