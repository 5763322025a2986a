/* Fills /dev/shm: shm_open, ftruncate, then write 200 MiB (row 17). */
#include <fcntl.h>
#include <sys/mman.h>

#include "hostile.h"

int main(void)
{
	static char buf[1 << 20];
	long mib;
	int fd;

	hostile_refuse_root();
	fd = shm_open("/hostile-fill", O_CREAT | O_RDWR, 0600);
	if (fd < 0) {
		report("shm_open -> %s", errname(errno));
		return HOSTILE_ODD;
	}
	if (ftruncate(fd, (off_t)8 << 20) < 0) {
		report("ftruncate(8 MiB) -> %s", errname(errno));
		return HOSTILE_ODD;
	}
	memset(buf, 'x', sizeof(buf));
	for (mib = 0; mib < 200; mib++) {
		if (write(fd, buf, sizeof(buf)) != sizeof(buf)) {
			report("write after %ld MiB -> %s", mib,
			       errname(errno));
			return errno == ENOSPC ? HOSTILE_CONTAINED
			                       : HOSTILE_ODD;
		}
	}
	report("wrote 200 MiB to /dev/shm");
	return HOSTILE_ESCAPED;
}
