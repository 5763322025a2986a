/* CPU spread over children that each stay under RLIMIT_CPU (row 10). */
#include <sys/wait.h>
#include <time.h>

#include "hostile.h"

#define CHILDREN 4

/* Burn ms milliseconds of this process's CPU time, then exit. */
static void burn(long ms)
{
	struct timespec ts;

	do
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	while (ts.tv_sec * 1000 + ts.tv_nsec / 1000000 < ms);
	_exit(0);
}

int main(void)
{
	int i;

	hostile_refuse_root();
	for (i = 0; i < CHILDREN; i++)
		if (fork() == 0)
			burn(800);
	/* Replace each child that finishes: the tree never stops. */
	for (;;) {
		if (wait(NULL) < 0)
			return HOSTILE_BROKEN;
		if (fork() == 0)
			burn(800);
	}
}
