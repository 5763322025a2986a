/* Calls ptrace(PTRACE_TRACEME): a forbidden system call in every policy. */
#include <stdio.h>
#include <sys/ptrace.h>

int main(void)
{
	long r = ptrace(PTRACE_TRACEME, 0, 0, 0);
	printf("ptrace returned %ld\n", r);
	return 0;
}
