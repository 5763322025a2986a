#include "slot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "sweep.h"

const char *slot_state_dir(void)
{
	static const char *const dirs[] = { "/run/ipcgrade", "/tmp/.ipcgrade" };
	static const char *found;

	if (found)
		return found;
	for (size_t i = 0; i < sizeof(dirs) / sizeof(*dirs); i++) {
		struct stat st;
		/* 0711: runs may pass through to their work dirs. */
		if (mkdir(dirs[i], 0711) < 0 && errno != EEXIST)
			continue;
		/* Only a root-owned directory nobody else may write is
		 * trusted. */
		if (lstat(dirs[i], &st) == 0 && S_ISDIR(st.st_mode) &&
		    st.st_uid == geteuid() && !(st.st_mode & 022) &&
		    chmod(dirs[i], 0711) == 0)
			return found = dirs[i];
	}
	return NULL;
}

void slot_ports(const struct slot *s, bool shared_net, int *first, int *last)
{
	*first = SLOT_PORT_BASE + (shared_net ? s->index : 0) * SLOT_PORT_COUNT;
	*last = *first + SLOT_PORT_COUNT - 1;
}

static int try_lock(const char *dir, int n)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/slot-%d.lock", dir, n);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int err = errno == EWOULDBLOCK ? -EBUSY : -errno;
		close(fd);
		return err;
	}
	return fd;
}

int slot_acquire(int want, struct slot *s)
{
	const char *dir = slot_state_dir();
	unsigned swept;
	char mark = 0;
	int fd = -EBUSY;

	s->index = -1;
	s->lock_fd = -1;
	if (!dir)
		return -EACCES;
	if (want >= SLOT_COUNT)
		return -EINVAL;
	if (want >= 0) {
		fd = try_lock(dir, want);
		s->index = want;
	} else {
		for (int n = 0; n < SLOT_COUNT && fd == -EBUSY; n++) {
			fd = try_lock(dir, n);
			s->index = n;
		}
	}
	if (fd < 0)
		return fd;
	s->lock_fd = fd;
	s->uid = SLOT_UID_BASE + s->index;
	/* The lock file says "busy" while a run holds the slot: finding it
	 * so means a harness was killed mid-run and may have left processes
	 * or objects under the uid. */
	if (pread(fd, &mark, 1, 0) != 1 || mark != 'c') {
		sweep_kill_uid(s->uid);
		sweep_ipc_uid(s->uid, true, NULL, &swept);
	}
	if (pwrite(fd, "b", 1, 0) != 1)
		return -errno;
	return 0;
}

void slot_release(struct slot *s)
{
	if (s->lock_fd >= 0 && pwrite(s->lock_fd, "c", 1, 0) != 1) {
		/* Left "busy": the next holder sweeps, which is safe. */
	}
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	s->lock_fd = -1;
	s->index = -1;
}

unsigned slot_sweep_abandoned(void)
{
	const char *dir = slot_state_dir();
	unsigned n = 0, swept;
	char path[128], mark;

	if (!dir)
		return 0;
	for (int i = 0; i < SLOT_COUNT; i++) {
		int fd;
		snprintf(path, sizeof(path), "%s/slot-%d.lock", dir, i);
		/* Slots without a lock file were never used. */
		if (access(path, F_OK) < 0 || (fd = try_lock(dir, i)) < 0)
			continue;
		if (pread(fd, &mark, 1, 0) == 1 && mark == 'b') {
			sweep_kill_uid(SLOT_UID_BASE + i);
			sweep_ipc_uid(SLOT_UID_BASE + i, true, NULL, &swept);
			if (pwrite(fd, "c", 1, 0) == 1)
				n++;
		}
		close(fd);
	}
	return n;
}

char *slot_workdir(const struct slot *s)
{
	const char *state = slot_state_dir();
	struct stat st;
	char *path;

	if (!state) {
		errno = EACCES;
		return NULL;
	}
	if (asprintf(&path, "%s/work", state) < 0)
		return NULL;
	if (mkdir(path, 0711) < 0 && errno != EEXIST)
		goto fail;
	free(path);
	if (asprintf(&path, "%s/work/%d", state, s->index) < 0)
		return NULL;
	/* Reuse it: making and removing a directory on every run costs
	 * more than the rest of a launch. */
	if (lstat(path, &st) == 0 &&
	    (!S_ISDIR(st.st_mode) || st.st_uid != s->uid))
		fs_remove_tree(path);
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		goto fail;
	if (chown(path, s->uid, s->uid) < 0 || fs_empty_dir(path) < 0)
		goto fail;
	return path;
fail:
	free(path);
	return NULL;
}
