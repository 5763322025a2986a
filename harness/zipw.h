/*
 * zipw.h - write a plain .zip archive (stored, not compressed) with Unix
 * file modes, enough for the bundles grading platforms take.
 *
 * zipw_open(&z, path), zipw_add() for each file (parents are implied),
 * then zipw_close(&z), which writes the directory and reports any error.
 */
#ifndef HARNESS_ZIPW_H
#define HARNESS_ZIPW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct zipw {
	FILE *f;
	struct zipw_entry *v;
	size_t n, cap;
	uint32_t off; /* bytes written so far */
	int err;      /* first error, -errno */
};

int zipw_open(struct zipw *z, const char *path);

/* Add name (relative, '/'-separated) holding len bytes, with permission
 * bits mode (e.g. 0755). Errors are kept for zipw_close(). */
void zipw_add(struct zipw *z, const char *name, const void *data, size_t len,
              unsigned mode);

/* Finish the archive; 0 or the first -errno. Frees everything. */
int zipw_close(struct zipw *z);

#endif
