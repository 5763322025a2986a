/* flock() on a file every run can open: its own binary (row 45). */
/* A left-over child keeps the lock; the suite checks it is gone after the
 * run. */
#include <fcntl.h>
#include <sys/file.h>

#include "hostile.h"

int main(void)
{
	int fd, ready[2];
	char c;

	hostile_refuse_root();
	fd = open("/proc/self/exe", O_RDONLY);
	if (fd < 0 || pipe(ready) < 0)
		return HOSTILE_BROKEN;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		report("flock(own binary) -> %s", errname(errno));
		return HOSTILE_ODD;
	}
	report("flock(own binary, LOCK_EX) -> 0 (allowed: labs use locks)");
	if (fork() == 0) {
		close(ready[1]); /* the lock is shared with this child */
		for (;;)
			pause();
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) != 0)
		return HOSTILE_BROKEN;
	return HOSTILE_CONTAINED;
}
