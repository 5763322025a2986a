#include "assignment.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "driver.h"
#include "policy.h"

#define MAX_FILE (1 << 20)

static int read_text(const char *path, char **out)
{
	struct stat st;
	char *buf;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > MAX_FILE) {
		close(fd);
		return -EINVAL;
	}
	buf = malloc(st.st_size + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	n = read(fd, buf, st.st_size);
	close(fd);
	if (n != st.st_size) {
		free(buf);
		return -EIO;
	}
	buf[n] = '\0';
	*out = buf;
	return 0;
}

static const char *const limit_keys[] = { "cpu_seconds", "wall_seconds",
	                                  "memory_mib",  "processes",
	                                  "file_mib",    "output_kib",
	                                  "tmpfs_mib",   NULL };

/* Limits at path (absent: *l unchanged); units as in the file's keys. */
static int load_limits(struct jcheck *c, json_t *obj, const char *path,
                       struct sandbox_limits *l)
{
	json_t *v = json_object_get(obj, "limits");
	double cpu = l->cpu_seconds, wall = l->wall_seconds,
	       mem = l->memory_bytes >> 20, procs = l->processes,
	       file = l->file_bytes >> 20, out = l->output_bytes >> 10,
	       tmpfs = l->tmpfs_bytes >> 20;
	char p[256];
	int err;

	if (!v)
		return 0;
	jcheck_join(p, sizeof(p), path, "limits");
	if ((err = jcheck_object(c, v, p, limit_keys)) ||
	    (err = jcheck_number(c, v, p, "cpu_seconds", 0.01, 3600, &cpu)) ||
	    (err = jcheck_number(c, v, p, "wall_seconds", 0.01, 7200, &wall)) ||
	    (err = jcheck_number(c, v, p, "memory_mib", 4, 65536, &mem)) ||
	    (err = jcheck_number(c, v, p, "processes", 1, 4096, &procs)) ||
	    (err = jcheck_number(c, v, p, "file_mib", 1, 65536, &file)) ||
	    (err = jcheck_number(c, v, p, "output_kib", 1, 1 << 20, &out)) ||
	    (err = jcheck_number(c, v, p, "tmpfs_mib", 1, 65536, &tmpfs)))
		return err;
	l->cpu_seconds = cpu;
	l->wall_seconds = wall;
	l->memory_bytes = (uint64_t)mem << 20;
	l->processes = (unsigned)procs;
	l->file_bytes = (uint64_t)file << 20;
	l->output_bytes = (size_t)out << 10;
	l->tmpfs_bytes = (uint64_t)tmpfs << 20;
	return 0;
}

static bool plain_name(const char *s)
{
	return s[0] && !strchr(s, '/') && strcmp(s, ".") && strcmp(s, "..");
}

/* "programs": {"NAME": ["source.c", ...], ...} */
static int load_programs(struct jcheck *c, struct assignment *a, json_t *progs)
{
	char path[128];
	const char *name;
	json_t *v;

	if (!json_is_object(progs) || !json_object_size(progs))
		return jcheck_fail(c, "build.programs",
		                   "must be an object naming each program "
		                   "and its sources");
	json_object_foreach (progs, name, v) {
		struct build_program *p =
		    &a->build.programs[a->build.nprograms];
		int err;
		jcheck_join(path, sizeof(path), "build.programs", name);
		if (!plain_name(name))
			return jcheck_fail(c, path,
			                   "must be a plain file name");
		if (a->build.nprograms == BUILD_MAX_PROGRAMS)
			return jcheck_fail(c, path, "more than %d programs",
			                   BUILD_MAX_PROGRAMS);
		if ((err = jcheck_strings(c, progs, "build.programs", name,
		                          true, &p->sources)))
			return err;
		if (!json_array_size(p->sources))
			return jcheck_fail(c, path, "names no source file");
		p->name = name;
		a->build.nprograms++;
	}
	return 0;
}

/* "supply": files of the assignment folder, relative, that must exist. */
static int check_supply(struct jcheck *c, struct assignment *a)
{
	char path[64], file[4200];
	size_t i;
	json_t *f;
	struct stat st;

	json_array_foreach (a->build.supply, i, f) {
		const char *s = json_string_value(f);
		jcheck_index(path, sizeof(path), "build.supply", i);
		if (s[0] == '/' || strstr(s, "..") || !s[0])
			return jcheck_fail(c, path,
			                   "must be a path inside the "
			                   "assignment's folder");
		snprintf(file, sizeof(file), "%s/%s", a->dir, s);
		if (stat(file, &st) < 0 || !S_ISREG(st.st_mode))
			return jcheck_fail(c, path, "no such file: %s", file);
	}
	return 0;
}

static int load_build(struct jcheck *c, struct assignment *a)
{
	static const char *const keys[] = {
		"files",  "cflags",   "ldlibs",      "output", "programs",
		"supply", "makefile", "cpu_seconds", NULL,
	};
	json_t *b = json_object_get(a->root, "build");
	const char *output = NULL, *cf = NULL, *ll = NULL;
	int err;

	a->build.cflags = "-std=gnu17 -Wall -O2";
	a->build.ldlibs = "";
	a->build.use_makefile = true;
	a->build.seconds = 60;
	if (!b)
		return jcheck_fail(c, "build", "is required");
	if ((err = jcheck_object(c, b, "build", keys)) ||
	    (err = jcheck_strings(c, b, "build", "files", false,
	                          &a->build.required)) ||
	    (err = jcheck_strings(c, b, "build", "supply", false,
	                          &a->build.supply)) ||
	    (err = jcheck_string(c, b, "build", "output", false, &output)) ||
	    (err = jcheck_bool(c, b, "build", "makefile",
	                       &a->build.use_makefile)) ||
	    (err = jcheck_number(c, b, "build", "cpu_seconds", 1, 3600,
	                         &a->build.seconds)) ||
	    (err = jcheck_string(c, b, "build", "cflags", false, &cf)) ||
	    (err = jcheck_string(c, b, "build", "ldlibs", false, &ll)) ||
	    (err = check_supply(c, a)))
		return err;
	if (cf)
		a->build.cflags = cf;
	if (ll)
		a->build.ldlibs = ll;
	if (output && json_object_get(b, "programs"))
		return jcheck_fail(c, "build.programs",
		                   "give either \"output\" or \"programs\", "
		                   "not both");
	if (output) {
		if (!plain_name(output))
			return jcheck_fail(c, "build.output",
			                   "must be a plain file name");
		a->build.programs[0].name = output;
		a->build.nprograms = 1;
		return 0;
	}
	if (!json_object_get(b, "programs"))
		return jcheck_fail(c, "build",
		                   "needs \"output\" (one program) or "
		                   "\"programs\"");
	return load_programs(c, a, json_object_get(b, "programs"));
}

static bool good_id(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!islower((unsigned char)*s) &&
		    !isdigit((unsigned char)*s) && *s != '-')
			return false;
	return true;
}

static int load_test(struct jcheck *c, struct assignment *a, json_t *t,
                     size_t i)
{
	static const char *const common[] = { "id",         "name",   "points",
		                              "visibility", "driver", "limits",
		                              NULL };
	struct test_spec *ts = &a->tests[i];
	const char *vis = NULL, *kind = NULL, *allowed[64];
	size_t n = 0;
	int err;

	jcheck_index(ts->path, sizeof(ts->path), "tests", i);
	if (!json_is_object(t))
		return jcheck_fail(c, ts->path, "must be an object");
	if ((err = jcheck_string(c, t, ts->path, "driver", true, &kind)))
		return err;
	ts->driver = driver_find(kind);
	if (!ts->driver) {
		char p[64];
		jcheck_join(p, sizeof(p), ts->path, "driver");
		return jcheck_fail(c, p, "unknown driver '%s' (known: %s)",
		                   kind, driver_names());
	}
	for (const char *const *k = common; *k; k++)
		allowed[n++] = *k;
	for (const char *const *k = ts->driver->keys; k && *k && n < 63; k++)
		allowed[n++] = *k;
	allowed[n] = NULL;
	ts->points = -1;
	ts->limits = a->limits;
	if ((err = jcheck_object(c, t, ts->path, allowed)) ||
	    (err = jcheck_string(c, t, ts->path, "id", true, &ts->id)) ||
	    (err = jcheck_string(c, t, ts->path, "name", true, &ts->name)) ||
	    (err = jcheck_number(c, t, ts->path, "points", 0, 1e6,
	                         &ts->points)) ||
	    (err = jcheck_string(c, t, ts->path, "visibility", false, &vis)) ||
	    (err = load_limits(c, t, ts->path, &ts->limits)))
		return err;
	if (ts->points < 0) {
		char p[64];
		jcheck_join(p, sizeof(p), ts->path, "points");
		return jcheck_fail(c, p, "is required");
	}
	if (!good_id(ts->id)) {
		char p[64];
		jcheck_join(p, sizeof(p), ts->path, "id");
		return jcheck_fail(c, p,
		                   "'%s': use lower-case letters, digits "
		                   "and '-'",
		                   ts->id);
	}
	for (size_t j = 0; j < i; j++)
		if (!strcmp(a->tests[j].id, ts->id)) {
			char p[64];
			jcheck_join(p, sizeof(p), ts->path, "id");
			return jcheck_fail(c, p, "'%s' is also the id of %s",
			                   ts->id, a->tests[j].path);
		}
	ts->visibility = VIS_VISIBLE;
	if (vis) {
		int v = visibility_parse(vis);
		if (v < 0) {
			char p[64];
			jcheck_join(p, sizeof(p), ts->path, "visibility");
			return jcheck_fail(c, p,
			                   "'%s' is not one of visible, "
			                   "hidden, after_due_date, "
			                   "after_published",
			                   vis);
		}
		ts->visibility = v;
	}
	ts->params = t;
	a->max_score += ts->points;
	return ts->driver->check ? ts->driver->check(c, t, ts->path) : 0;
}

int assignment_load(const char *dir, struct assignment *a, struct jcheck *c)
{
	static const char *const keys[] = { "name",      "title",  "policy",
		                            "build",     "limits", "tests",
		                            "reference", NULL };
	json_error_t jerr;
	const char *ref = NULL;
	char *base, *copy;
	json_t *tests, *t;
	size_t i;
	int err;

	memset(a, 0, sizeof(*a));
	a->dir = realpath(dir, NULL);
	if (!a->dir || asprintf(&a->file, "%s/assignment.json", a->dir) < 0) {
		snprintf(c->msg, sizeof(c->msg), "%s: %s", dir,
		         strerror(errno));
		return -ENOENT;
	}
	c->file = a->file;
	if ((err = read_text(a->file, &a->text))) {
		snprintf(c->msg, sizeof(c->msg), "%s: %s", a->file,
		         strerror(-err));
		return err == -ENOENT ? -ENOENT : -EINVAL;
	}
	c->text = a->text;
	a->root = json_loads(a->text, JSON_REJECT_DUPLICATES, &jerr);
	if (!a->root) {
		snprintf(c->msg, sizeof(c->msg), "%s:%d:%d: %s", a->file,
		         jerr.line, jerr.column, jerr.text);
		return -EINVAL;
	}
	a->limits = sandbox_limits_fill(&(struct sandbox_limits){
	    .cpu_seconds = 5,
	    .output_bytes = 1 << 20,
	});
	if ((err = jcheck_object(c, a->root, "", keys)) ||
	    (err = jcheck_string(c, a->root, "", "name", true, &a->name)) ||
	    (err = jcheck_string(c, a->root, "", "title", false, &a->title)) ||
	    (err =
	         jcheck_string(c, a->root, "", "policy", false, &a->policy)) ||
	    (err = jcheck_string(c, a->root, "", "reference", false, &ref)) ||
	    (err = load_build(c, a)) ||
	    (err = load_limits(c, a->root, "", &a->limits)))
		return err;
	copy = strdup(a->dir);
	base = copy ? basename(copy) : NULL;
	if (base && strcmp(base, a->name)) {
		err = jcheck_fail(c, "name",
		                  "'%s' differs from the folder's "
		                  "name '%s'",
		                  a->name, base);
		free(copy);
		return err;
	}
	free(copy);
	if (!a->policy)
		a->policy = "ipc";
	if (!policy_lookup(a->policy))
		return jcheck_fail(c, "policy", "no seccomp policy named '%s'",
		                   a->policy);
	/* The reference sits in reference/ beside assignments/. */
	if (asprintf(&a->reference_dir, "%s/../../reference/%s", a->dir,
	             ref ? ref : a->name) < 0)
		return -ENOMEM;
	tests = json_object_get(a->root, "tests");
	if (!json_is_array(tests) || !json_array_size(tests))
		return jcheck_fail(c, "tests", "must be a non-empty array");
	a->ntests = json_array_size(tests);
	a->tests = calloc(a->ntests, sizeof(*a->tests));
	if (!a->tests)
		return -ENOMEM;
	json_array_foreach (tests, i, t) {
		if ((err = load_test(c, a, t, i)))
			return err;
	}
	return 0;
}

void assignment_release(struct assignment *a)
{
	json_decref(a->root);
	free(a->tests);
	free(a->dir);
	free(a->file);
	free(a->text);
	free(a->reference_dir);
	memset(a, 0, sizeof(*a));
}

const struct test_spec *assignment_test(const struct assignment *a,
                                        const char *id)
{
	for (size_t i = 0; i < a->ntests; i++)
		if (!strcmp(a->tests[i].id, id))
			return &a->tests[i];
	return NULL;
}
