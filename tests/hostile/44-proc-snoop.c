/* Reads environ and fd/ of other uids' processes in /proc (row 44). */
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "hostile.h"

int main(void)
{
	char path[64], buf[256];
	struct dirent *e;
	struct stat st;
	int visible = 0, fd;
	DIR *proc, *fds;
	ssize_t n;

	hostile_refuse_root();
	if (!(proc = opendir("/proc")))
		return HOSTILE_BROKEN;
	while ((e = readdir(proc))) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s", e->d_name);
		if (stat(path, &st) < 0 || st.st_uid == getuid())
			continue;
		visible++;
		snprintf(path, sizeof(path), "/proc/%s/environ", e->d_name);
		fd = open(path, O_RDONLY);
		n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));
		if (n > 0) {
			report("read %zd bytes of %s", n, path);
			return HOSTILE_ESCAPED;
		}
		if (fd >= 0)
			close(fd);
		snprintf(path, sizeof(path), "/proc/%s/fd", e->d_name);
		if ((fds = opendir(path))) {
			report("listed %s", path);
			return HOSTILE_ESCAPED;
		}
	}
	report("%d processes of other uids visible; no environ, no fd list",
	       visible);
	return HOSTILE_CONTAINED;
}
