/* Probes fds 3..1024 for anything the harness leaked (row 50). */
#include <fcntl.h>

#include "hostile.h"

int main(void)
{
	char link[64], target[256];
	int fd, open_fds = 0;
	ssize_t n;

	hostile_refuse_root();
	for (fd = 3; fd <= 1024; fd++) {
		if (fcntl(fd, F_GETFD) < 0)
			continue;
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		n = readlink(link, target, sizeof(target) - 1);
		target[n < 0 ? 0 : n] = '\0';
		report("fd %d is open: %s", fd, target);
		open_fds++;
	}
	if (open_fds)
		return HOSTILE_ESCAPED;
	report("fds 3..1024 are all closed");
	return HOSTILE_CONTAINED;
}
