/*
 * gradebook.h - the files of a batch output folder, made from its results.
 *
 * gradebook_write(outdir, msg) reads OUTDIR/results/NAME.json (sorted by
 * name) and writes grades.csv and summary.json from them alone, so one run,
 * a resumed run and merged shards give the same files. Writes are atomic.
 */
#ifndef HARNESS_GRADEBOOK_H
#define HARNESS_GRADEBOOK_H

#include <jansson.h>
#include <stddef.h>

/* Returns 0 or -errno; msg (msglen bytes) says what failed. */
int gradebook_write(const char *outdir, char *msg, size_t msglen);

/* The entries of dir (no dot names) that keep(dir, name) turns into a new
 * string (NULL: skip it), sorted by strcmp; free with
 * gradebook_free_names(). Returns the count or -errno. */
long gradebook_scan(const char *dir,
                    char *(*keep)(const char *dir, const char *name),
                    char ***names);

/* The result files of OUTDIR/results ("NAME.json", no dot files), sorted
 * by strcmp. *names is a new array of new strings; free with
 * gradebook_free_names(). Returns the count or -errno. */
long gradebook_list(const char *outdir, char ***names);
void gradebook_free_names(char **names, long n);

/* Write data to path through a temporary file and rename(), so a reader
 * (or a run resumed after kill -9) sees all of it or nothing. */
int gradebook_write_atomic(const char *path, const char *data, size_t len);

/* json_dumps() with the project's layout, then gradebook_write_atomic(). */
int gradebook_write_json(const char *path, const json_t *j);

#endif
