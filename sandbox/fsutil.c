#include "fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/openat2.h>
#include <sys/syscall.h>

int fs_open_beneath(const char *dir, const char *name, int flags)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC | O_NOFOLLOW),
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
		           RESOLVE_NO_MAGICLINKS,
	};
	int dfd, fd, err;

	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	fd = syscall(SYS_openat2, dfd, name, &how, sizeof(how));
	err = fd < 0 ? -errno : fd;
	if (fd < 0 && errno == ENOSYS) {
		/* Pre-5.6 kernels: refuse anything but a plain file name. */
		if (strchr(name, '/') || !strcmp(name, "..") ||
		    !strcmp(name, ".")) {
			err = -EINVAL;
		} else {
			fd = openat(dfd, name, how.flags);
			err = fd < 0 ? -errno : fd;
		}
	}
	close(dfd);
	return err;
}

int fs_read_beneath(const char *dir, const char *name, size_t max, char **data,
                    size_t *len)
{
	struct stat st;
	char *buf = NULL;
	size_t got = 0;
	int fd, err = 0;

	*data = NULL;
	*len = 0;
	/* O_NONBLOCK: a planted FIFO cannot hang us. */
	fd = fs_open_beneath(dir, name, O_RDONLY | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return fd == -EXDEV ? -ELOOP : fd;
	if (fstat(fd, &st) < 0) {
		err = -errno;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		err = -EINVAL;
		goto out;
	}
	if ((uint64_t)st.st_size > max) {
		err = -EFBIG;
		goto out;
	}
	buf = malloc(max + 1);
	if (!buf) {
		err = -ENOMEM;
		goto out;
	}
	for (;;) {
		ssize_t r = read(fd, buf + got, max - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err = -errno;
			goto out;
		}
		if (r == 0)
			break;
		got += r;
		if (got == max) {
			char c;
			if (read(fd, &c, 1) == 1) {
				err = -EFBIG; /* grew while we read */
				goto out;
			}
			break;
		}
	}
	buf[got] = '\0';
	*data = buf;
	*len = got;
	buf = NULL;
out:
	free(buf);
	close(fd);
	return err;
}

/* Remove the entries of directory fd dfd; owned_by < 0 removes all, else
 * only entries owned by that uid (and everything below those). */
static int remove_in(int dfd, long owned_by, const char *keep, unsigned *count,
                     int depth)
{
	DIR *d;
	struct dirent *e;
	int err = 0;

	if (depth > 256)
		return -ELOOP;
	d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return -errno;
	}
	while ((e = readdir(d))) {
		struct stat st;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (owned_by >= 0 && st.st_uid != (uid_t)owned_by)
			continue;
		if (keep && !strcmp(keep, e->d_name))
			continue;
		if (S_ISDIR(st.st_mode)) {
			int sub = openat(dirfd(d), e->d_name,
			                 O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
			                     O_CLOEXEC);
			if (sub >= 0) {
				/* Make it writable in case the owner did
				 * chmod 0500 to keep it. */
				fchmod(sub, 0700);
				remove_in(sub, -1, NULL, NULL, depth + 1);
			}
			if (unlinkat(dirfd(d), e->d_name, AT_REMOVEDIR) < 0 &&
			    !err)
				err = -errno;
		} else if (unlinkat(dirfd(d), e->d_name, 0) < 0) {
			if (!err)
				err = -errno;
		}
		if (count)
			(*count)++;
	}
	closedir(d);
	return err;
}

int fs_empty_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	return remove_in(fd, -1, NULL, NULL, 0);
}

int fs_remove_tree(const char *path)
{
	struct stat st;
	int fd, err;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISDIR(st.st_mode))
		return unlink(path) < 0 ? -errno : 0;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	err = remove_in(fd, -1, NULL, NULL, 0);
	if (rmdir(path) < 0 && !err)
		err = -errno;
	return err;
}

int fs_remove_owned(const char *dir, uid_t uid, const char *keep,
                    unsigned *count)
{
	size_t n = strlen(dir);
	int fd;

	/* keep matters only when it is a direct entry of dir. */
	if (keep && (strncmp(keep, dir, n) || keep[n] != '/' ||
	             strchr(keep + n + 1, '/')))
		keep = NULL;
	else if (keep)
		keep += n + 1;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	return remove_in(fd, uid, keep, count, 0);
}

static int chown_in(int dfd, uid_t uid, gid_t gid, int depth)
{
	DIR *d;
	struct dirent *e;
	int err = 0;

	if (fchown(dfd, uid, gid) < 0)
		err = -errno;
	if (depth > 256) {
		close(dfd);
		return -ELOOP;
	}
	d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return -errno;
	}
	while ((e = readdir(d))) {
		struct stat st;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			int sub = openat(dirfd(d), e->d_name,
			                 O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
			                     O_CLOEXEC);
			if (sub >= 0)
				chown_in(sub, uid, gid, depth + 1);
		} else if (fchownat(dirfd(d), e->d_name, uid, gid,
		                    AT_SYMLINK_NOFOLLOW) < 0 &&
		           !err) {
			err = -errno;
		}
	}
	closedir(d);
	return err;
}

int fs_chown_tree(const char *path, uid_t uid, gid_t gid)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	return chown_in(fd, uid, gid, 0);
}

int fs_write_new(const char *path, const void *data, size_t len, mode_t mode)
{
	const char *p = data;
	int fd = open(
	    path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	int err = 0;

	if (fd < 0)
		return -errno;
	while (len && !err) {
		ssize_t k = write(fd, p, len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			err = k < 0 ? -errno : -EIO;
		else {
			p += k;
			len -= (size_t)k;
		}
	}
	if (close(fd) < 0 && !err)
		err = -errno;
	return err;
}

int fs_make_tempdir(const char *prefix, char **path)
{
	const char *tmp = getenv("TMPDIR");
	char *p;

	if (!tmp || !*tmp)
		tmp = "/tmp";
	if (asprintf(&p, "%s/%s-XXXXXX", tmp, prefix) < 0)
		return -ENOMEM;
	if (!mkdtemp(p)) {
		int err = -errno;
		free(p);
		return err;
	}
	*path = p;
	return 0;
}

struct copy_budget {
	size_t files, max_files;
	uint64_t bytes, max_bytes;
	unsigned *skipped;
};

static int copy_file(int sfd, int dfd, const char *name, mode_t mode,
                     struct copy_budget *b)
{
	char buf[65536];
	int in, out, err = 0;
	ssize_t n;

	in = openat(sfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (in < 0)
		return -errno;
	out = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	             (mode & 0111) ? 0755 : 0644);
	if (out < 0) {
		close(in);
		return -errno;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		b->bytes += n;
		if (b->bytes > b->max_bytes) {
			err = -EFBIG;
			break;
		}
		if (write(out, buf, n) != n) {
			err = -EIO;
			break;
		}
	}
	if (n < 0 && !err)
		err = -errno;
	close(in);
	close(out);
	return err;
}

static int copy_in(int sfd, int dfd, struct copy_budget *b, int depth)
{
	DIR *d;
	struct dirent *e;
	int err = 0;

	if (depth > 32)
		return -ELOOP;
	d = fdopendir(sfd);
	if (!d) {
		close(sfd);
		return -errno;
	}
	while (!err && (e = readdir(d))) {
		struct stat st;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (++b->files > b->max_files) {
			err = -EFBIG;
			break;
		}
		if (S_ISREG(st.st_mode)) {
			err =
			    copy_file(dirfd(d), dfd, e->d_name, st.st_mode, b);
		} else if (S_ISDIR(st.st_mode)) {
			int s2, d2;
			if (mkdirat(dfd, e->d_name, 0755) < 0) {
				err = -errno;
				break;
			}
			s2 = openat(dirfd(d), e->d_name,
			            O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
			                O_CLOEXEC);
			d2 = openat(dfd, e->d_name,
			            O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
			                O_CLOEXEC);
			if (s2 < 0 || d2 < 0) {
				err = -errno;
				if (s2 >= 0)
					close(s2);
				if (d2 >= 0)
					close(d2);
				break;
			}
			err = copy_in(s2, d2, b, depth + 1);
			close(d2);
		} else if (b->skipped) {
			(*b->skipped)++;
		}
	}
	closedir(d);
	return err;
}

int fs_copy_tree(const char *src, const char *dst, size_t max_files,
                 uint64_t max_bytes, unsigned *skipped)
{
	struct copy_budget b = { 0, max_files, 0, max_bytes, skipped };
	int sfd, dfd, err;

	if (skipped)
		*skipped = 0;
	sfd = open(src, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sfd < 0)
		return -errno;
	if (mkdir(dst, 0755) < 0 && errno != EEXIST) {
		err = -errno;
		close(sfd);
		return err;
	}
	dfd = open(dst, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0) {
		err = -errno;
		close(sfd);
		return err;
	}
	err = copy_in(sfd, dfd, &b, 0);
	close(dfd);
	return err;
}
