/* Writes one file without end (row 23). */
#include <fcntl.h>

#include "hostile.h"

int main(void)
{
	static char buf[1 << 16];
	long long total = 0;
	int fd;

	hostile_refuse_root();
	fd = open("huge.dat", O_CREAT | O_WRONLY | O_TRUNC, 0644);
	if (fd < 0)
		return HOSTILE_BROKEN;
	memset(buf, 'x', sizeof(buf));
	while (total < (4LL << 30)) {
		if (write(fd, buf, sizeof(buf)) < 0) {
			report("write at %lld bytes -> %s", total,
			       errname(errno));
			return errno == EFBIG ? HOSTILE_CONTAINED : HOSTILE_ODD;
		}
		total += sizeof(buf);
	}
	report("wrote 4 GiB");
	return HOSTILE_ESCAPED;
}
