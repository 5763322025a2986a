/* The trick: run again, once, as a fresh image of the same program. The
 * handler probe removed LD_PRELOAD from the environment when it loaded, so
 * the second image runs without it. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

__attribute__((constructor)) static void again(void)
{
	static char buf[4096];
	char *argv[64];
	int fd, n = 0;
	ssize_t k;

	if (getenv("TRICK_AGAIN"))
		return;
	setenv("TRICK_AGAIN", "1", 1);
	fd = open("/proc/self/cmdline", O_RDONLY);
	k = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
	for (ssize_t i = 0; i < k && n < 63; i += (ssize_t)strlen(buf + i) + 1)
		argv[n++] = buf + i;
	argv[n] = NULL;
	if (n)
		execv("/proc/self/exe", argv);
}
