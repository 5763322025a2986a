/*
 * hostile_fixture.c - the hostile suites' shared fixture: limits, work
 * dirs, running a program in a tier, the aftermath check. See the header.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"
#include "hostile_fixture.h"
#include "postcond.h"
#include "testutil.h"

const enum sandbox_tier hostile_tiers[2] = { TIER_FULL, TIER_BASIC };

/* Small, so that every attack meets its limit quickly. */
const struct sandbox_limits small_limits = {
	.cpu_seconds = 1,
	.wall_seconds = 3,
	.memory_bytes = 64 << 20,
	.processes = 32,
	.file_bytes = 1 << 20,
	.output_bytes = 64 << 10,
	.tmpfs_bytes = 16 << 20,
};

/* The small limits with every non-zero field of *over applied. */
struct sandbox_limits limits_with(const struct sandbox_limits *over)
{
	struct sandbox_limits l = small_limits;

#define OVERRIDE(field)                                                        \
	if (over && over->field)                                               \
		l.field = over->field;
	OVERRIDE(cpu_seconds);
	OVERRIDE(wall_seconds);
	OVERRIDE(memory_bytes);
	OVERRIDE(processes);
	OVERRIDE(file_bytes);
	OVERRIDE(open_files);
	OVERRIDE(output_bytes);
	OVERRIDE(tmpfs_bytes);
#undef OVERRIDE
	return l;
}

void verdict_add(struct verdict *v, const char *fmt, ...)
{
	size_t used = strlen(v->msg);
	va_list ap;

	if (used && used + 2 < sizeof(v->msg))
		used += snprintf(v->msg + used, sizeof(v->msg) - used, "; ");
	va_start(ap, fmt);
	vsnprintf(v->msg + used, sizeof(v->msg) - used, fmt, ap);
	va_end(ap);
}

/* How a run ended, with the start of what the program said about it. */
const char *describe(const struct sandbox_result *res, char *buf, size_t len)
{
	char said[240] = "";
	size_t i;

	for (i = 0; res->out.data && i < res->out.len && i + 1 < sizeof(said);
	     i++) {
		unsigned char ch = res->out.data[i];
		said[i] = ch == '\n' ? '|' : (ch < 32 || ch > 126) ? '.' : ch;
	}
	said[i] = '\0';
	snprintf(buf, len,
	         "status %s, exit %d, signal %d, syscall '%s' (\"%s\"); "
	         "stdout: \"%s\"",
	         sandbox_status_name(res->status), res->exit_code, res->signal,
	         res->syscall, res->message, said);
	return buf;
}

const char *hostile_dir(void)
{
	static char dir[PATH_MAX];
	const char *env = getenv("IPCGRADE_HOSTILE");

	/* Absolute: the sandbox resolves relative paths in the work dir. */
	if (!dir[0] && !realpath(env ? env : "build/hostile", dir))
		snprintf(dir, sizeof(dir), "%s", env ? env : "build/hostile");
	return dir;
}

void hostile_path(const char *name, bool is_static, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s%s", hostile_dir(), name,
	         is_static ? ".static" : "");
}

void fixture_env(struct fixture *f, const char *key, const char *val)
{
	snprintf(f->env[f->nenv], sizeof(f->env[0]), "%s=%s", key, val);
	f->envp[f->nenv] = f->env[f->nenv];
	f->nenv++;
}

/* A fresh work dir (given to the run's uid by the sandbox), and the
 * environment every program gets: HOSTILE_TIER. */
int fixture_init(struct fixture *f, enum sandbox_tier tier, const char *program)
{
	int err;

	memset(f, 0, sizeof(*f));
	f->tier = tier;
	f->listen_fd = -1;
	snprintf(f->program, sizeof(f->program), "%s", program);
	fixture_env(f, "HOSTILE_TIER", probe_tier_name(tier));
	if ((err = fs_make_tempdir("hostile-", &f->parent)))
		return err;
	chmod(f->parent, 0711);
	snprintf(f->workdir, sizeof(f->workdir), "%s/work", f->parent);
	return mkdir(f->workdir, 0700) < 0 ? -errno : 0;
}

void fixture_release(struct fixture *f)
{
	if (f->listen_fd >= 0)
		close(f->listen_fd);
	f->listen_fd = -1;
	if (f->secret_dir[0])
		fs_remove_tree(f->secret_dir);
	f->secret_dir[0] = '\0';
	if (f->parent)
		fs_remove_tree(f->parent);
	free(f->parent);
	f->parent = NULL;
}

/* Run f->program (with one optional argument) in f's tier and work dir.
 * Returns sandbox_run()'s value; release *res afterwards. */
int hostile_run(struct fixture *f, const char *arg,
                const struct sandbox_limits *over, int slot,
                struct sandbox_result *res)
{
	const char *argv[] = { f->program, arg, NULL };
	struct sandbox_config cfg = SANDBOX_CONFIG_INIT;

	cfg.argv = argv;
	cfg.env = f->envp;
	cfg.hide = f->nhide ? f->hide : NULL;
	cfg.workdir = f->workdir;
	cfg.chown_workdir = true;
	cfg.tier = f->tier;
	cfg.limits = limits_with(over);
	cfg.slot = slot;
	return sandbox_run(&cfg, res);
}

/* Run /bin/true in tier and slot (-1: any). A slot can stay busy for a
 * moment after a killed run, until its last process is gone. */
int run_true(enum sandbox_tier tier, int slot, struct sandbox_result *res)
{
	const char *argv[] = { "/bin/true", NULL };
	struct sandbox_config cfg = SANDBOX_CONFIG_INIT;
	struct timespec tick = { 0, 20 * 1000 * 1000 };
	int err, tries = 0;

	cfg.argv = argv;
	cfg.tier = tier;
	cfg.slot = slot;
	cfg.limits = small_limits;
	while ((err = sandbox_run(&cfg, res)) == -EBUSY && ++tries < 100) {
		sandbox_result_release(res);
		nanosleep(&tick, NULL);
	}
	return err;
}

/* Nothing of uid may be left, and the next run must start clean. */
void check_aftermath(enum sandbox_tier tier, uid_t uid, struct verdict *v)
{
	struct sandbox_result res;
	char why[512], how[1024];
	int err;

	if (uid && postcond_check(uid, why, sizeof(why)))
		verdict_add(v, "left behind: %s", why);
	err = run_true(tier, -1, &res);
	if (err || res.status != SANDBOX_EXITED || res.exit_code != 0)
		verdict_add(v, "the next run of /bin/true failed (%d): %s", err,
		            describe(&res, how, sizeof(how)));
	else if (postcond_check(res.uid, why, sizeof(why)))
		verdict_add(v, "/bin/true left behind: %s", why);
	sandbox_result_release(&res);
}
