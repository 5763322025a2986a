/*
 * quickcat - a pipeline stage the grader is sure to look at: it stops
 * itself first (SIGSTOP) and copies stdin to stdout once the grader,
 * having seen it, continues it. Run with no arguments.
 */
#include <signal.h>
#include <unistd.h>

int main(void)
{
	char buf[65536];
	ssize_t n;

	raise(SIGSTOP);
	while ((n = read(0, buf, sizeof(buf))) > 0)
		if (write(1, buf, n) != n)
			return 1;
	return 0;
}
