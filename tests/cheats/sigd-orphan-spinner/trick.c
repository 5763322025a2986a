/* The trick: CPU burnt by a chain of orphans, 100 ms each, for 3 s. */
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

__attribute__((constructor)) static void spinners(void)
{
	if (fork() != 0)
		return;
	for (int link = 0; link < 30; link++) {
		double until = now() + 0.1;
		while (now() < until)
			;
		if (fork() != 0)
			_exit(0); /* the next one goes on, an orphan */
	}
	_exit(0);
}
