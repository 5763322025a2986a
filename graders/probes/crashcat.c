/*
 * crashcat - a pipeline stage that crashes: killed by SIGSEGV before it
 * reads anything, as a buggy program would be. Run with no arguments.
 */
#include <signal.h>

int main(void)
{
	signal(SIGSEGV, SIG_DFL);
	raise(SIGSEGV);
	return 0;
}
