/* 100k one-byte files in /tmp, to run out of inodes or space (row 24). */
/* The basic tier's /tmp is the host's and has no bound; there it stops at
 * 20k files (more than the full tier's 16 MiB or 16384 inodes allow), as
 * creating 100k on a disk takes 3 to 10 s of CPU. */
#include <fcntl.h>
#include <sys/stat.h>

#include "hostile.h"

int main(void)
{
	int files = hostile_tier_is_basic() ? 20000 : 100000;
	char dir[64], path[96];
	int i, fd;

	hostile_refuse_root();
	snprintf(dir, sizeof(dir), "/tmp/hostile-files-%d", (int)getpid());
	if (mkdir(dir, 0755) < 0)
		return HOSTILE_BROKEN;
	for (i = 0; i < files; i++) {
		snprintf(path, sizeof(path), "%s/%d", dir, i);
		fd = open(path, O_CREAT | O_WRONLY | O_EXCL, 0644);
		if (fd < 0 || write(fd, "x", 1) != 1) {
			report("file #%d -> %s", i + 1, errname(errno));
			return errno == ENOSPC || errno == EDQUOT
			           ? HOSTILE_CONTAINED
			           : HOSTILE_ODD;
		}
		close(fd);
	}
	report("created %d files in %s", files, dir);
	if (hostile_tier_is_basic()) {
		report("known gap of the basic tier: /tmp is the host's");
		return HOSTILE_CONTAINED;
	}
	return HOSTILE_ESCAPED;
}
