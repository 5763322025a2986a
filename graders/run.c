#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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
		int err;

		snprintf(path, sizeof(path), "%s/%s", dir, name);
		if ((err = fs_write_new(path, json_string_value(v),
		                        json_string_length(v), 0644)))
			return err;
	}
	return 0;
}

const char *run_probes_dir(void)
{
	static char dir[PATH_MAX];
	static const char *const rel[] = { "/probes",
		                           "/../lib/ipcgrade/probes" };
	char exe[PATH_MAX];
	struct stat st;
	ssize_t k;

	if (dir[0])
		return dir;
	k = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (k <= 0)
		return NULL;
	exe[k] = '\0';
	*strrchr(exe, '/') = '\0';
	for (size_t i = 0; i < sizeof(rel) / sizeof(*rel); i++) {
		char cand[PATH_MAX + 32];
		snprintf(cand, sizeof(cand), "%s%s", exe, rel[i]);
		if (stat(cand, &st) == 0 && S_ISDIR(st.st_mode) &&
		    realpath(cand, dir))
			return dir;
	}
	return NULL;
}

int run_program(const struct grade_ctx *g, const struct test_spec *t,
                enum run_who who, const struct run_opts *o,
                struct sandbox_result *res)
{
	json_t *args = o->args, *files = o->files;
	const char *env[2] = { NULL, NULL };
	char *path_env = NULL, bin[4200];
	struct sandbox_config cfg = SANDBOX_CONFIG_INIT;
	const char *argv[MAX_ARGS];
	char *parent = NULL, *dir = NULL;
	size_t n = 0, i;
	json_t *v;
	int err;

	const char *exe = o->program           ? o->program
	                  : who == RUN_STUDENT ? g->student_bin
	                                       : g->reference_bin;
	const char *base = strrchr(exe, '/');
	char shown[300];

	/* A build's path stays out of the command line, which every process
	 * of the host can read (in the basic tier, a concurrent grading's):
	 * the program sees "./NAME", as if started in its folder. */
	snprintf(shown, sizeof(shown), "./%s", base ? base + 1 : exe);
	argv[n++] = o->program ? exe : shown;
	cfg.exec = o->program ? NULL : exe;
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
	if (o->prepare && (err = o->prepare(o->hook_arg, dir)))
		goto out;
	if (o->probes) {
		/* A copy in the run's own folder: reachable in every tier,
		 * whatever the permissions on the way to the build. */
		const char *probes = run_probes_dir();
		snprintf(bin, sizeof(bin), "%s/.probes", dir);
		if (!probes) {
			err = -ENOENT;
			goto out;
		}
		if ((err = fs_copy_tree(probes, bin, 64, 64 << 20, NULL)))
			goto out;
		if (asprintf(&path_env, "PATH=%s:/usr/local/bin:/usr/bin:/bin",
		             bin) < 0) {
			err = -ENOMEM;
			goto out;
		}
		env[0] = path_env;
		cfg.env = env;
	}
	cfg.tick = o->tick;
	cfg.tick_arg = o->tick_arg;
	cfg.tick_seconds = o->tick_seconds;
	cfg.argv = argv;
	cfg.workdir = dir;
	cfg.chown_workdir = true;
	cfg.tier = g->tier;
	cfg.hide = g->hide;
	cfg.policy = g->a->policy;
	cfg.limits = t->limits;
	if (o->output_bytes)
		cfg.limits.output_bytes = o->output_bytes;
	cfg.net_sysctls = o->net_sysctls;
	cfg.witness = o->witness;
	cfg.probe_listens = o->probe_listens;
	cfg.stderr_chatter = o->stderr_chatter;
	cfg.linger = o->linger;
	cfg.stdin_data = o->in;
	cfg.stdin_len = o->in_len;
	err = sandbox_run(&cfg, res);
	if (!err && o->finish)
		o->finish(o->hook_arg, dir);
out:
	if (parent)
		fs_remove_tree(parent);
	free(parent);
	free(dir);
	free(path_env);
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
	case SANDBOX_STOPPED:
		return TEST_FAILED;
	default: /* limits, exec failure */
		return TEST_FAILED;
	}
}
