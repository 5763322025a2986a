#include "build.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"

#define MAX_FILES 2000
#define MAX_BYTES (64 << 20)
#define MAX_ARGS  256

static void logf_(struct build *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void logf_(struct build *b, const char *fmt, ...)
{
	char *more = NULL, *all = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&more, fmt, ap) < 0)
		more = NULL;
	va_end(ap);
	if (more && asprintf(&all, "%s%s", b->log ? b->log : "", more) >= 0) {
		free(b->log);
		b->log = all;
	}
	free(more);
}

static bool has_regular(const char *dir, const char *name)
{
	char path[4200];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return lstat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static void add_words(const char *text, char *words, size_t size,
                      const char **argv, size_t *n)
{
	snprintf(words, size, "%s", text);
	for (char *save = NULL, *w = strtok_r(words, " \t", &save);
	     w && *n < MAX_ARGS - 8; w = strtok_r(NULL, " \t", &save))
		argv[(*n)++] = w;
}

/* cc CFLAGS -o NAME SOURCES LDLIBS, without a shell; SOURCES are the
 * program's, or every .c file. Returns the index of the first file name,
 * which like all after it up to LDLIBS is allocated. */
static int compile_argv(const struct assignment *a,
                        const struct build_program *p, const char *dir,
                        char words[2][1024], const char **argv, int *last)
{
	size_t n = 0, first, i;
	struct dirent **list;
	json_t *f;
	int k;

	argv[n++] = "cc";
	add_words(a->build.cflags, words[0], sizeof(words[0]), argv, &n);
	argv[n++] = "-o";
	argv[n++] = p->name;
	first = n;
	json_array_foreach (p->sources, i, f) {
		if (n < MAX_ARGS - 1)
			argv[n++] = strdup(json_string_value(f));
	}
	if (!p->sources) {
		k = scandir(dir, &list, NULL, alphasort);
		for (int j = 0; j < k; j++) {
			size_t l = strlen(list[j]->d_name);
			if (l > 2 && !strcmp(list[j]->d_name + l - 2, ".c") &&
			    has_regular(dir, list[j]->d_name) &&
			    n < MAX_ARGS - 8)
				argv[n++] = strdup(list[j]->d_name);
			free(list[j]);
		}
		if (k >= 0)
			free(list);
	}
	*last = (int)n;
	add_words(a->build.ldlibs, words[1], sizeof(words[1]), argv, &n);
	argv[n] = NULL;
	return (int)first;
}

/* Copy the assignment's supplied files (ring.h, say) over the
 * submission's, so what the contract fixes cannot drift. */
static int supply_files(const struct assignment *a, const char *work)
{
	size_t i;
	json_t *f;

	json_array_foreach (a->build.supply, i, f) {
		const char *rel = json_string_value(f);
		const char *base =
		    strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
		char to[4200];
		char *text = NULL;
		size_t len = 0;
		int err;

		snprintf(to, sizeof(to), "%s/%s", work, base);
		if ((err = fs_read_beneath(a->dir, rel, 1 << 20, &text, &len)))
			return err;
		unlink(to);
		err = fs_write_new(to, text, len, 0644);
		free(text);
		if (err)
			return err;
	}
	return 0;
}

/* One command of the build in the sandbox; its output goes to the log.
 * Returns 0 and sets *ok, or -errno. */
static int build_step(const struct assignment *a, const char *work,
                      enum sandbox_tier tier, const char *const *hide,
                      const char *const *argv, struct build *b, bool *ok)
{
	struct sandbox_config cfg = SANDBOX_CONFIG_INIT;
	struct sandbox_result res;
	int err;

	logf_(b, "$");
	for (const char *const *w = argv; *w; w++)
		logf_(b, " %s", *w);
	logf_(b, "\n");
	cfg.argv = argv;
	cfg.workdir = work;
	cfg.chown_workdir = true;
	cfg.tier = tier;
	cfg.hide = hide;
	cfg.policy = "ipc-nosock";
	cfg.limits = (struct sandbox_limits){
		.cpu_seconds = a->build.seconds,
		.wall_seconds = 2 * a->build.seconds + 10,
		.memory_bytes = 1024ULL << 20,
		.processes = 64,
		.file_bytes = 64 << 20,
		.output_bytes = 256 << 10,
		.tmpfs_bytes = 256 << 20,
	};
	err = sandbox_run(&cfg, &res);
	if (err) {
		logf_(b, "the sandbox failed: %s\n", res.message);
		sandbox_result_release(&res);
		return err;
	}
	b->seconds += res.wall_seconds;
	if (res.out.len)
		logf_(b, "%s", res.out.data);
	if (res.err.len)
		logf_(b, "%s", res.err.data);
	*ok = res.status == SANDBOX_EXITED && res.exit_code == 0;
	if (!*ok)
		logf_(b, "the build failed: %s\n", res.message);
	sandbox_result_release(&res);
	return 0;
}

int build_run(const struct assignment *a, const char *src,
              enum sandbox_tier tier, const char *const *hide, struct build *b)
{
	const char *argv[MAX_ARGS], *make_argv[] = { "make", NULL };
	char words[2][1024], prog[4200];
	unsigned skipped = 0;
	bool ok = true;
	int err;
	size_t i;
	json_t *f;
	struct stat st;

	memset(b, 0, sizeof(*b));
	json_array_foreach (a->build.required, i, f) {
		if (!has_regular(src, json_string_value(f))) {
			logf_(b, "the submission has no file '%s'\n",
			      json_string_value(f));
			return 0;
		}
	}
	if ((err = fs_make_tempdir("ipcgrade-build", &b->dir)))
		goto fail;
	chmod(b->dir, 0711);
	if (asprintf(&b->bindir, "%s/src", b->dir) < 0) {
		b->bindir = NULL;
		err = -ENOMEM;
		goto fail;
	}
	err = fs_copy_tree(src, b->bindir, MAX_FILES, MAX_BYTES, &skipped);
	if (err == -EFBIG) {
		logf_(b,
		      "the submission is too large (over %d files or %d "
		      "MiB)\n",
		      MAX_FILES, MAX_BYTES >> 20);
		return 0;
	}
	if (err || (err = provenance_tree(b->bindir, NULL, b->hash)) ||
	    (err = supply_files(a, b->bindir)))
		goto fail;
	if (skipped)
		logf_(b,
		      "note: %u symbolic links or special files were not "
		      "copied\n",
		      skipped);

	if (a->build.use_makefile && (has_regular(b->bindir, "Makefile") ||
	                              has_regular(b->bindir, "makefile"))) {
		err = build_step(a, b->bindir, tier, hide, make_argv, b, &ok);
	} else {
		for (size_t p = 0; p < a->build.nprograms && ok && !err; p++) {
			int last,
			    first = compile_argv(a, &a->build.programs[p],
			                         b->bindir, words, argv, &last);
			err =
			    build_step(a, b->bindir, tier, hide, argv, b, &ok);
			for (int k = first; k < last; k++)
				free((char *)argv[k]);
		}
	}
	/* Give everything back to root: no later run may change it. */
	fs_chown_tree(b->bindir, 0, 0);
	if (err)
		goto fail;
	for (size_t p = 0; p < a->build.nprograms && ok; p++) {
		const char *name = a->build.programs[p].name;
		snprintf(prog, sizeof(prog), "%s/%s", b->bindir, name);
		if (lstat(prog, &st) < 0 || !S_ISREG(st.st_mode)) {
			logf_(b, "the build did not make '%s'\n", name);
			ok = false;
		}
	}
	snprintf(prog, sizeof(prog), "%s/%s", b->bindir,
	         a->build.programs[0].name);
	if (ok && !(b->program = strdup(prog)))
		return -ENOMEM;
	b->ok = ok;
	return 0;
fail:
	logf_(b, "cannot build: %s\n", strerror(-err));
	return err;
}

void build_release(struct build *b)
{
	if (b->dir)
		fs_remove_tree(b->dir);
	free(b->dir);
	free(b->log);
	free(b->program);
	free(b->bindir);
	memset(b, 0, sizeof(*b));
}
