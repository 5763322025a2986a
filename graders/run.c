#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"

#define MAX_ARGS 512

static int write_files(const char *dir, json_t *files)
{
	const char *name;
	json_t *v;

	json_object_foreach (files, name, v) {
		char path[4200];
		const char *s = json_string_value(v);
		size_t n = json_string_length(v);
		int fd;

		snprintf(path, sizeof(path), "%s/%s", dir, name);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd < 0)
			return -errno;
		if (write(fd, s, n) != (ssize_t)n) {
			close(fd);
			return -EIO;
		}
		close(fd);
	}
	return 0;
}

int run_program(const struct grade_ctx *g, const struct test_spec *t,
                enum run_who who, json_t *args, const char *in, size_t in_len,
                json_t *files, struct sandbox_result *res)
{
	struct sandbox_config cfg = SANDBOX_CONFIG_INIT;
	const char *argv[MAX_ARGS];
	char *parent = NULL, *dir = NULL;
	size_t n = 0, i;
	json_t *v;
	int err;

	argv[n++] = who == RUN_STUDENT ? g->student_bin : g->reference_bin;
	json_array_foreach (args, i, v) {
		if (n < MAX_ARGS - 1)
			argv[n++] = json_string_value(v);
	}
	argv[n] = NULL;
	if ((err = fs_make_tempdir("ipcgrade-test", &parent)))
		return err;
	chmod(parent, 0711);
	if (asprintf(&dir, "%s/run", parent) < 0) {
		err = -ENOMEM;
		goto out;
	}
	if (mkdir(dir, 0755) < 0) {
		err = -errno;
		goto out;
	}
	if (files && (err = write_files(dir, files)))
		goto out;
	cfg.argv = argv;
	cfg.workdir = dir;
	cfg.chown_workdir = true;
	cfg.tier = g->tier;
	cfg.hide = g->hide;
	cfg.policy = g->a->policy;
	cfg.limits = t->limits;
	cfg.stdin_data = in;
	cfg.stdin_len = in_len;
	err = sandbox_run(&cfg, res);
out:
	if (parent)
		fs_remove_tree(parent);
	free(parent);
	free(dir);
	return err;
}

enum test_status run_status(const struct sandbox_result *res)
{
	switch (res->status) {
	case SANDBOX_EXITED:
		return TEST_PASSED;
	case SANDBOX_TIMEOUT:
		return TEST_TIMEOUT;
	case SANDBOX_SIGNALED:
		return TEST_CRASHED;
	case SANDBOX_VIOLATION:
		return TEST_VIOLATION;
	case SANDBOX_ERROR:
		return TEST_ERROR;
	default: /* limits, exec failure */
		return TEST_FAILED;
	}
}
