/*
 * landlock.c - the Landlock ruleset of a run's program: scoping (signals,
 * abstract sockets) from ABI 6, and the basic tier's hidden paths from ABI
 * 1. See landlock.h.
 */
#include "landlock.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/landlock.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define READ_ANY                                                               \
	(LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE |           \
	 LANDLOCK_ACCESS_FS_READ_DIR)
#define READ_FILE_ONLY                                                         \
	(LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE)
#define MAX_HIDDEN 8
#define MAX_RULES  4096 /* entries beside the hidden paths' ancestors */

/* struct landlock_ruleset_attr of ABI 6 (newer than Debian 12's headers);
 * a kernel with an older ABI accepts it while the fields it lacks are 0. */
struct ruleset_attr {
	uint64_t handled_access_fs, handled_access_net, scoped;
};

/* Whether path lies strictly below dir ("/" is above everything). */
static bool below(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (!strcmp(dir, "/"))
		return path[1] != '\0';
	return !strncmp(path, dir, n) && path[n] == '/';
}

static int add_rule(int ruleset, int fd, uint64_t access)
{
	struct landlock_path_beneath_attr pb = {
		.allowed_access = access,
		.parent_fd = fd,
	};

	return (int)syscall(SYS_landlock_add_rule, ruleset,
	                    LANDLOCK_RULE_PATH_BENEATH, &pb, 0);
}

/*
 * Allow everything in dir, an ancestor of a hidden path, but the hidden
 * paths themselves: entries on the way to one are opened up the same way,
 * one level down; the rest get a rule each. Symbolic links get none: what
 * they point to is reached, and judged, by its own path.
 */
static int allow_beside(int ruleset, const char *dir, char *const *hidden,
                        int nhidden, int *budget)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int err = 0;

	if (!d)
		return -errno;
	while (!err && (e = readdir(d))) {
		char path[PATH_MAX];
		bool hide = false, ancestor = false;
		struct stat st;
		int fd;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s",
		         strcmp(dir, "/") ? dir : "", e->d_name);
		for (int i = 0; i < nhidden; i++) {
			hide |= !strcmp(path, hidden[i]);
			ancestor |= below(hidden[i], path);
		}
		if (hide)
			continue;
		if (ancestor) {
			err = allow_beside(ruleset, path, hidden, nhidden,
			                   budget);
			continue;
		}
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) <
		        0 ||
		    S_ISLNK(st.st_mode))
			continue;
		if (--*budget < 0) {
			err = -E2BIG;
			break;
		}
		fd = openat(dirfd(d), e->d_name,
		            O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue; /* gone meanwhile */
		if (add_rule(ruleset, fd,
		             S_ISDIR(st.st_mode) ? READ_ANY : READ_FILE_ONLY) <
		    0)
			err = -errno;
		close(fd);
	}
	closedir(d);
	return err;
}

/* Whether a directory above path is world-writable (/tmp...): listing
 * the entries beside path there would leave out those made later, such as
 * a program's own temporary files. */
static bool under_shared_dir(const char *path)
{
	char up[PATH_MAX];
	struct stat st;
	char *slash;

	snprintf(up, sizeof(up), "%s", path);
	while ((slash = strrchr(up, '/'))) {
		slash[slash == up] = '\0';
		if (stat(up, &st) == 0 && (st.st_mode & S_IWOTH))
			return true;
		if (slash == up)
			break;
	}
	return false;
}

bool landlock_can_hide(int abi, const char *path)
{
	char *real = realpath(path, NULL);
	bool can =
	    abi >= 1 && real && strcmp(real, "/") && !under_shared_dir(real);

	free(real);
	return can;
}

int landlock_build(int abi, bool scope, const char *const *hide)
{
	struct ruleset_attr attr = { 0 };
	char *hidden[MAX_HIDDEN];
	int nhidden = 0, fd, err = 0, budget = MAX_RULES;

	for (const char *const *h = hide; h && *h && nhidden < MAX_HIDDEN; h++)
		if ((hidden[nhidden] = realpath(*h, NULL)) &&
		    strcmp(hidden[nhidden], "/") &&
		    !under_shared_dir(hidden[nhidden]))
			nhidden++;
		else
			free(hidden[nhidden]);
	if (abi < 1 || (!nhidden && !(scope && abi >= 6))) {
		fd = -ENOENT; /* nothing this kernel can enforce is asked */
		goto out;
	}
	if (nhidden)
		attr.handled_access_fs = READ_ANY;
	if (scope && abi >= 6)
		attr.scoped = (1ULL << 0) | (1ULL << 1); /* sockets, signals */
	fd = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (fd < 0) {
		fd = -errno;
		goto out;
	}
	if (nhidden &&
	    (err = allow_beside(fd, "/", hidden, nhidden, &budget))) {
		close(fd);
		fd = err;
	}
out:
	for (int i = 0; i < nhidden; i++)
		free(hidden[i]);
	return fd;
}

int landlock_enter(int ruleset)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(SYS_landlock_restrict_self, ruleset, 0) < 0)
		return -errno;
	close(ruleset);
	return 0;
}
