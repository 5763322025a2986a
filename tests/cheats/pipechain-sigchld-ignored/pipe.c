/* The trick: SIGCHLD ignored from the start: children vanish unwaited. */
#include <signal.h>

__attribute__((constructor)) static void no_zombies(void)
{
	signal(SIGCHLD, SIG_IGN);
}

#include "honest-pipe.inc"
