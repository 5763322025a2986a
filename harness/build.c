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

/* cc CFLAGS -o OUTPUT *.c, without a shell. Returns the index of the
 * first file name, which like all after it is allocated. */
static int compile_argv(const struct assignment *a, const char *dir,
                        char *words, const char **argv)
{
	size_t n = 0, first;
	struct dirent **list;
	int k;

	argv[n++] = "cc";
	snprintf(words, 1024, "%s", a->build.cflags);
	for (char *save = NULL, *w = strtok_r(words, " \t", &save);
	     w && n < MAX_ARGS - 8; w = strtok_r(NULL, " \t", &save))
		argv[n++] = w;
	argv[n++] = "-o";
	argv[n++] = a->build.output;
	first = n;
	k = scandir(dir, &list, NULL, alphasort);
	for (int i = 0; i < k; i++) {
		size_t l = strlen(list[i]->d_name);
		if (l > 2 && !strcmp(list[i]->d_name + l - 2, ".c") &&
		    has_regular(dir, list[i]->d_name) && n < MAX_ARGS - 1)
			argv[n++] = strdup(list[i]->d_name);
		free(list[i]);
	}
	if (k >= 0)
		free(list);
	argv[n] = NULL;
	return (int)first;
}

int build_run(const struct assignment *a, const char *src,
              enum sandbox_tier tier, const char *const *hide, struct build *b)
{
	struct sandbox_config cfg = SANDBOX_CONFIG_INIT;
	struct sandbox_result res;
	const char *argv[MAX_ARGS], *make_argv[] = { "make", NULL };
	char words[1024], *work = NULL, prog[4200];
	unsigned skipped = 0;
	int err, first_file = -1;
	size_t i;
	json_t *f;
	struct stat st;

	memset(b, 0, sizeof(*b));
	argv[0] = NULL;
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
	if (asprintf(&work, "%s/src", b->dir) < 0) {
		err = -ENOMEM;
		goto fail;
	}
	err = fs_copy_tree(src, work, MAX_FILES, MAX_BYTES, &skipped);
	if (err == -EFBIG) {
		logf_(b,
		      "the submission is too large (over %d files or %d "
		      "MiB)\n",
		      MAX_FILES, MAX_BYTES >> 20);
		err = 0;
		goto out;
	}
	if (err)
		goto fail;
	if (skipped)
		logf_(b,
		      "note: %u symbolic links or special files were not "
		      "copied\n",
		      skipped);

	if (a->build.use_makefile &&
	    (has_regular(work, "Makefile") || has_regular(work, "makefile"))) {
		cfg.argv = make_argv;
		logf_(b, "$ make\n");
	} else {
		first_file = compile_argv(a, work, words, argv);
		cfg.argv = argv;
		logf_(b, "$");
		for (const char **w = argv; *w; w++)
			logf_(b, " %s", *w);
		logf_(b, "\n");
	}
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
		goto fail;
	}
	b->seconds = res.wall_seconds;
	if (res.out.len)
		logf_(b, "%s", res.out.data);
	if (res.err.len)
		logf_(b, "%s", res.err.data);
	/* Give everything back to root: no later run may change it. */
	fs_chown_tree(work, 0, 0);
	snprintf(prog, sizeof(prog), "%s/%s", work, a->build.output);
	if (res.status != SANDBOX_EXITED || res.exit_code != 0)
		logf_(b, "the build failed: %s\n", res.message);
	else if (lstat(prog, &st) < 0 || !S_ISREG(st.st_mode))
		logf_(b, "the build did not make '%s'\n", a->build.output);
	else if (!(b->program = strdup(prog)))
		err = -ENOMEM;
	else
		b->ok = true;
	sandbox_result_release(&res);
	goto out;
fail:
	logf_(b, "cannot build: %s\n", strerror(-err));
out:
	for (int k = first_file; k >= 0 && argv[k]; k++)
		free((char *)argv[k]);
	free(work);
	return err;
}

void build_release(struct build *b)
{
	if (b->dir)
		fs_remove_tree(b->dir);
	free(b->dir);
	free(b->log);
	free(b->program);
	memset(b, 0, sizeof(*b));
}
