/*
 * quickcat - a pipeline stage that lives long enough to be looked at:
 * sleeps 50 ms, then copies stdin to stdout. Run with no arguments.
 */
#include <time.h>
#include <unistd.h>

int main(void)
{
	struct timespec ts = { 0, 50 * 1000 * 1000 };
	char buf[65536];
	ssize_t n;

	nanosleep(&ts, NULL);
	while ((n = read(0, buf, sizeof(buf))) > 0)
		if (write(1, buf, n) != n)
			return 1;
	return 0;
}
