/*
 * hostcache.c - slow host facts shared by the ipcgrade processes of one
 * boot, for a few minutes. See hostcache.h.
 */
#include "hostcache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "slot.h"

/* This boot's id, with its newline; "" when unknown. */
static const char *boot_id(void)
{
	static char id[64];
	int fd;
	ssize_t n;

	if (id[0])
		return id;
	fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);
	n = fd < 0 ? -1 : read(fd, id, sizeof(id) - 1);
	if (fd >= 0)
		close(fd);
	id[n > 0 ? n : 0] = '\0';
	return id;
}

static int path_of(const char *name, char *buf, size_t len)
{
	const char *dir = slot_state_dir();

	if (!dir || !boot_id()[0])
		return -ENOENT;
	snprintf(buf, len, "%s/%s.cache", dir, name);
	return 0;
}

int hostcache_get(const char *name, char *buf, size_t len)
{
	char path[256], *data;
	const char *id = boot_id();
	size_t idlen = strlen(id);
	ssize_t n;
	struct stat st;
	int fd, err;

	if ((err = path_of(name, path, sizeof(path))))
		return err;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -ENOENT;
	/* Ours alone, and fresh. */
	if (fstat(fd, &st) < 0 || st.st_uid != geteuid() ||
	    (st.st_mode & 077) || time(NULL) < st.st_mtime ||
	    time(NULL) - st.st_mtime > HOSTCACHE_SECONDS ||
	    !(data = malloc(idlen + len))) {
		close(fd);
		return -ENOENT;
	}
	n = read(fd, data, idlen + len);
	close(fd);
	err = n < (ssize_t)idlen || memcmp(data, id, idlen) ||
	              (size_t)n - idlen >= len
	          ? -ENOENT
	          : 0;
	if (!err) {
		memcpy(buf, data + idlen, (size_t)n - idlen);
		buf[n - idlen] = '\0';
	}
	free(data);
	return err;
}

int hostcache_put(const char *name, const char *text)
{
	char path[256], tmp[300];
	const char *id = boot_id();
	int fd, err;
	size_t n = strlen(text), idlen = strlen(id);

	if ((err = path_of(name, path, sizeof(path))))
		return err;
	snprintf(tmp, sizeof(tmp), "%s.%d", path, (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
	          0600);
	if (fd < 0)
		return -errno;
	if (write(fd, id, idlen) != (ssize_t)idlen ||
	    write(fd, text, n) != (ssize_t)n) {
		err = errno ? -errno : -EIO;
		close(fd);
		unlink(tmp);
		return err;
	}
	close(fd);
	if (rename(tmp, path) < 0) {
		err = -errno;
		unlink(tmp);
		return err;
	}
	return 0;
}
