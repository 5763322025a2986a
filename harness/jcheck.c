#include "jcheck.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "jsonpos.h"

void jcheck_join(char *buf, size_t n, const char *path, const char *key)
{
	snprintf(buf, n, "%s%s%s", path, *path ? "." : "", key);
}

void jcheck_index(char *buf, size_t n, const char *path, size_t i)
{
	snprintf(buf, n, "%s[%zu]", path, i);
}

int jcheck_fail(struct jcheck *c, const char *path, const char *fmt, ...)
{
	char what[400];
	int line = 1, col = 1;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	/* An absent key has no position: point at its parent. */
	char p[512];
	snprintf(p, sizeof(p), "%s", path);
	while (!jsonpos_find(c->text, p, &line, &col) && *p) {
		char *dot = strrchr(p, '.'), *br = strrchr(p, '[');
		char *cut = dot > br ? dot : br;
		if (cut)
			*cut = '\0';
		else
			*p = '\0';
	}
	snprintf(c->msg, sizeof(c->msg), "%s:%d:%d: %s%s%s", c->file, line, col,
	         *path ? path : "", *path ? ": " : "", what);
	return -EINVAL;
}

int jcheck_object(struct jcheck *c, json_t *v, const char *path,
                  const char *const *allowed)
{
	const char *key;
	json_t *val;

	if (!json_is_object(v))
		return jcheck_fail(c, path, "must be an object");
	json_object_foreach (v, key, val) {
		const char *const *a = allowed;
		while (*a && strcmp(*a, key))
			a++;
		if (!*a) {
			char p[512];
			jcheck_join(p, sizeof(p), path, key);
			return jcheck_fail(c, p, "unknown key '%s'", key);
		}
	}
	return 0;
}

int jcheck_string(struct jcheck *c, json_t *obj, const char *path,
                  const char *key, bool required, const char **out)
{
	json_t *v = json_object_get(obj, key);
	char p[512];

	jcheck_join(p, sizeof(p), path, key);
	*out = NULL;
	if (!v)
		return required ? jcheck_fail(c, p, "is required") : 0;
	if (!json_is_string(v))
		return jcheck_fail(c, p, "must be a string");
	*out = json_string_value(v);
	return 0;
}

int jcheck_number(struct jcheck *c, json_t *obj, const char *path,
                  const char *key, double min, double max, double *out)
{
	json_t *v = json_object_get(obj, key);
	char p[512];

	jcheck_join(p, sizeof(p), path, key);
	if (!v)
		return 0; /* keep the default in *out */
	if (!json_is_number(v))
		return jcheck_fail(c, p, "must be a number");
	if (json_number_value(v) < min || json_number_value(v) > max)
		return jcheck_fail(c, p, "must be between %g and %g", min, max);
	*out = json_number_value(v);
	return 0;
}

int jcheck_bool(struct jcheck *c, json_t *obj, const char *path,
                const char *key, bool *out)
{
	json_t *v = json_object_get(obj, key);
	char p[512];

	jcheck_join(p, sizeof(p), path, key);
	if (!v)
		return 0;
	if (!json_is_boolean(v))
		return jcheck_fail(c, p, "must be true or false");
	*out = json_is_true(v);
	return 0;
}

int jcheck_strings(struct jcheck *c, json_t *obj, const char *path,
                   const char *key, bool required, json_t **out)
{
	json_t *v = json_object_get(obj, key), *e;
	char p[512], q[540];
	size_t i;

	jcheck_join(p, sizeof(p), path, key);
	*out = NULL;
	if (!v)
		return required ? jcheck_fail(c, p, "is required") : 0;
	if (!json_is_array(v))
		return jcheck_fail(c, p, "must be an array of strings");
	json_array_foreach (v, i, e) {
		if (!json_is_string(e)) {
			jcheck_index(q, sizeof(q), p, i);
			return jcheck_fail(c, q, "must be a string");
		}
	}
	*out = v;
	return 0;
}
