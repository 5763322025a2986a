/*
 * provenance.c - content hashes that trace a score to what produced it: a
 * folder's files (provenance_tree: a submission as it was built, an
 * assignment with its reference) and the harness's own build
 * (provenance_harness). Each is "sha256:" and 64 hex digits.
 */
#include "provenance.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../graders/run.h" /* run_probes_dir() */

/* Enough for any folder the harness hashes (a submission is capped far
 * lower when it is copied). */
#define MAX_DEPTH 16

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool skipped(const char *name, const char *const *skip)
{
	for (; skip && *skip; skip++)
		if (!strcmp(name, *skip))
			return true;
	return false;
}

/* One file: its name, its size, its bytes. */
static int hash_file(EVP_MD_CTX *md, int fd, const char *rel)
{
	unsigned char buf[65536];
	struct stat st;
	uint64_t size;
	ssize_t k;

	if (fstat(fd, &st) < 0)
		return -errno;
	size = (uint64_t)st.st_size;
	EVP_DigestUpdate(md, "F", 1);
	EVP_DigestUpdate(md, rel, strlen(rel) + 1);
	EVP_DigestUpdate(md, &size, sizeof(size));
	while ((k = read(fd, buf, sizeof(buf))) != 0) {
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -errno;
		EVP_DigestUpdate(md, buf, (size_t)k);
	}
	return 0;
}

/* fd0's entries in name order: regular files and folders, as the
 * harness copies a submission (links and special files are not). */
static int hash_dir(EVP_MD_CTX *md, int fd0, const char *rel,
                    const char *const *skip, int depth)
{
	char **names = NULL, path[4096];
	size_t n = 0, cap = 0;
	struct dirent *e;
	DIR *d;
	int err = 0;

	if (depth > MAX_DEPTH)
		return -ELOOP;
	if (!(d = fdopendir(fd0))) {
		close(fd0);
		return -errno;
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    (depth == 0 && skipped(e->d_name, skip)))
			continue;
		if (n == cap) {
			char **more = realloc(
			    names, (cap = cap ? 2 * cap : 32) * sizeof(*names));
			if (!more) {
				err = -ENOMEM;
				break;
			}
			names = more;
		}
		if (!(names[n] = strdup(e->d_name))) {
			err = -ENOMEM;
			break;
		}
		n++;
	}
	qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n && !err; i++) {
		struct stat st;
		int fd;

		snprintf(path, sizeof(path), "%s%s%s", rel, *rel ? "/" : "",
		         names[i]);
		if (fstatat(dirfd(d), names[i], &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue; /* gone meanwhile */
		if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
			continue;
		fd = openat(dirfd(d), names[i],
		            (S_ISDIR(st.st_mode) ? O_DIRECTORY : 0) | O_RDONLY |
		                O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			err = -errno;
			break;
		}
		if (S_ISREG(st.st_mode)) {
			err = hash_file(md, fd, path);
			close(fd);
		} else {
			EVP_DigestUpdate(md, "D", 1);
			EVP_DigestUpdate(md, path, strlen(path) + 1);
			err = hash_dir(md, fd, path, skip, depth + 1);
		}
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return err;
}

static void finish(EVP_MD_CTX *md, char out[PROVENANCE_LEN])
{
	unsigned char h[EVP_MAX_MD_SIZE];
	unsigned len = 0;

	EVP_DigestFinal_ex(md, h, &len);
	memcpy(out, "sha256:", 7);
	for (unsigned i = 0; i < len && i < 32; i++)
		snprintf(out + 7 + 2 * i, 3, "%02x", h[i]);
}

/* Folders in turn, each under its label; NULL-terminated. */
static int hash_folders(const char *const *dirs, const char *const *labels,
                        const char *const *skip, char out[PROVENANCE_LEN])
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	int err = 0;

	out[0] = '\0';
	if (!md)
		return -ENOMEM;
	if (!EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
		EVP_MD_CTX_free(md);
		return -EIO;
	}
	for (size_t i = 0; dirs[i] && !err; i++) {
		int fd = open(dirs[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0) {
			err = -errno;
			break;
		}
		EVP_DigestUpdate(md, "R", 1);
		EVP_DigestUpdate(md, labels[i], strlen(labels[i]) + 1);
		err = hash_dir(md, fd, "", skip, 0);
	}
	if (!err)
		finish(md, out);
	EVP_MD_CTX_free(md);
	return err;
}

int provenance_tree(const char *dir, const char *const *skip,
                    char out[PROVENANCE_LEN])
{
	const char *dirs[] = { dir, NULL }, *labels[] = { "", NULL };

	return hash_folders(dirs, labels, skip, out);
}

int provenance_assignment(const char *dir, const char *reference,
                          char out[PROVENANCE_LEN])
{
	static const char *const skip[] = { "examples", NULL };
	const char *dirs[] = { dir, reference, NULL };
	const char *labels[] = { "assignment", "reference", NULL };

	return hash_folders(dirs, labels, skip, out);
}

int provenance_harness(char out[PROVENANCE_LEN])
{
	static char cached[PROVENANCE_LEN];
	EVP_MD_CTX *md;
	int fd, err = 0;

	if (cached[0]) {
		memcpy(out, cached, PROVENANCE_LEN);
		return 0;
	}
	out[0] = '\0';
	if (!(md = EVP_MD_CTX_new()))
		return -ENOMEM;
	if (!EVP_DigestInit_ex(md, EVP_sha256(), NULL) ||
	    (fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC)) < 0) {
		EVP_MD_CTX_free(md);
		return -EIO;
	}
	/* The program, then the probes it runs inside the sandbox. */
	err = hash_file(md, fd, "ipcgrade");
	close(fd);
	if (!err && run_probes_dir()) {
		fd = open(run_probes_dir(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		err = fd < 0 ? -errno : hash_dir(md, fd, "probes", NULL, 0);
	}
	if (!err) {
		finish(md, out);
		memcpy(cached, out, PROVENANCE_LEN);
	}
	EVP_MD_CTX_free(md);
	return err;
}
