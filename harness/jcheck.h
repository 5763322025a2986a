/*
 * jcheck.h - strict reading of JSON configuration, errors as path:line:col.
 *
 * Fill a struct jcheck with the file name and its text, then read members
 * with jcheck_*(): each returns 0, or -EINVAL with c->msg set to
 * "FILE:LINE:COL: MESSAGE" pointing at the offending key or element.
 */
#ifndef HARNESS_JCHECK_H
#define HARNESS_JCHECK_H

#include <jansson.h>
#include <stdbool.h>

struct jcheck {
	const char *file;
	const char *text; /* the whole file, for positions */
	char msg[640];
};

/* Record an error about the value at path ("tests[1].points"). */
int jcheck_fail(struct jcheck *c, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* v must be an object whose keys are all in allowed (NULL-terminated). */
int jcheck_object(struct jcheck *c, json_t *v, const char *path,
                  const char *const *allowed);

/* Member key of obj (at path); *out is borrowed, NULL when absent and not
 * required. */
int jcheck_string(struct jcheck *c, json_t *obj, const char *path,
                  const char *key, bool required, const char **out);
int jcheck_number(struct jcheck *c, json_t *obj, const char *path,
                  const char *key, double min, double max, double *out);
int jcheck_bool(struct jcheck *c, json_t *obj, const char *path,
                const char *key, bool *out);
/* An array of strings; *out is borrowed, NULL when absent. */
int jcheck_strings(struct jcheck *c, json_t *obj, const char *path,
                   const char *key, bool required, json_t **out);

/* path + "." + key, or path + "[i]", in a static-size buffer. */
void jcheck_join(char *buf, size_t n, const char *path, const char *key);
void jcheck_index(char *buf, size_t n, const char *path, size_t i);

#endif
