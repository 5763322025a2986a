#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fdpass.h"
#include "fsutil.h"
#include "landlock.h"
#include "policy.h"
#include "procfs.h"
#include "proctree.h"
#include "run.h"
#include "supervise.h"
#include "sweep.h"
#include "witness.h"

const struct sandbox_limits sandbox_default_limits = {
	.cpu_seconds = 10,
	.wall_seconds = 0,
	.memory_bytes = 256 << 20,
	.processes = 64,
	.file_bytes = 16 << 20,
	.open_files = 256,
	.output_bytes = 1 << 20,
	.tmpfs_bytes = 64 << 20,
};

#define SANDBOX_PATH "/usr/local/bin:/usr/bin:/bin"

static const char *const status_names[] = {
	[SANDBOX_EXITED] = "exited",
	[SANDBOX_SIGNALED] = "signaled",
	[SANDBOX_TIMEOUT] = "timeout",
	[SANDBOX_MEMORY_LIMIT] = "memory_limit",
	[SANDBOX_OUTPUT_LIMIT] = "output_limit",
	[SANDBOX_FILE_LIMIT] = "file_limit",
	[SANDBOX_PROCESS_LIMIT] = "process_limit",
	[SANDBOX_VIOLATION] = "violation",
	[SANDBOX_EXEC_FAILED] = "exec_failed",
	[SANDBOX_STOPPED] = "stopped",
	[SANDBOX_ERROR] = "error",
};

const char *sandbox_status_name(enum sandbox_status s)
{
	if ((unsigned)s < sizeof(status_names) / sizeof(*status_names))
		return status_names[s];
	return "unknown";
}

struct sandbox_limits sandbox_limits_fill(const struct sandbox_limits *l)
{
	const struct sandbox_limits *d = &sandbox_default_limits;
	struct sandbox_limits o = *l;

	if (o.cpu_seconds <= 0)
		o.cpu_seconds = d->cpu_seconds;
	if (o.wall_seconds <= 0)
		o.wall_seconds = 2 * o.cpu_seconds + 1;
	if (!o.memory_bytes)
		o.memory_bytes = d->memory_bytes;
	if (!o.processes)
		o.processes = d->processes;
	if (!o.file_bytes)
		o.file_bytes = d->file_bytes;
	if (!o.open_files)
		o.open_files = d->open_files;
	if (!o.output_bytes)
		o.output_bytes = d->output_bytes;
	if (!o.tmpfs_bytes)
		o.tmpfs_bytes = d->tmpfs_bytes;
	return o;
}

/*** Preparing a run ***/

/* argv[0] as the program will be executed: a name is looked up in the
 * sandbox's PATH, a relative path is taken from the work dir. */
static int resolve_command(struct run *r)
{
	const char *cmd = r->cfg->exec ? r->cfg->exec : r->cfg->argv[0];
	char path[PATH_MAX];

	if (strchr(cmd, '/')) {
		if (cmd[0] == '/')
			r->exec_path = strdup(cmd);
		else if (asprintf(&r->exec_path, "%s/%s", r->workdir, cmd) < 0)
			r->exec_path = NULL;
		return r->exec_path ? 0 : -ENOMEM;
	}
	for (const char *p = SANDBOX_PATH; *p;) {
		size_t n = strcspn(p, ":");
		snprintf(path, sizeof(path), "%.*s/%s", (int)n, p, cmd);
		if (access(path, X_OK) == 0) {
			r->exec_path = strdup(path);
			return r->exec_path ? 0 : -ENOMEM;
		}
		p += n + (p[n] == ':');
	}
	/* Not found: let execve() report ENOENT from inside. */
	r->exec_path = strdup(cmd);
	return r->exec_path ? 0 : -ENOMEM;
}

static int build_env(struct run *r)
{
	bool has_path = false;
	size_t n = 0, i = 0;
	int first, last;
	char **env;

	for (const char *const *e = r->cfg->env; e && *e; e++)
		n++;
	env = calloc(n + 9, sizeof(*env));
	if (!env)
		return -ENOMEM;
	r->envp = env;
	for (const char *const *e = r->cfg->env; e && *e; e++)
		if (!strncmp(*e, "PATH=", 5))
			has_path = true; /* the caller's PATH replaces ours */
	if ((!has_path && !(env[i++] = strdup("PATH=" SANDBOX_PATH))) ||
	    !(env[i++] = strdup("LC_ALL=C")) ||
	    !(env[i++] = strdup("TMPDIR=/tmp")) ||
	    asprintf(&env[i++], "HOME=%s", r->workdir) < 0)
		return -ENOMEM;
	slot_ports(&r->slot, r->tier != TIER_FULL, &first, &last);
	if (asprintf(&env[i++], "IPCGRADE_PORTS=%d-%d", first, last) < 0)
		return -ENOMEM;
	if (r->cfg->witness &&
	    asprintf(&env[i++], "IPCGRADE_WITNESS_FD=%d", WITNESS_FD) < 0)
		return -ENOMEM;
	for (const char *const *e = r->cfg->env; e && *e; e++)
		if (!(env[i++] = strdup(*e)))
			return -ENOMEM;
	return 0;
}

static int open_pipes(struct run *r)
{
	int null;

	if (pipe2(r->out, O_CLOEXEC) < 0 ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, r->err) < 0 ||
	    pipe2(r->status, O_CLOEXEC) < 0 || pipe2(r->ctl, O_CLOEXEC) < 0 ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, r->nsock) < 0)
		return -errno;
	if (r->cfg->witness &&
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, r->witness) <
	        0)
		return -errno;
	/* stderr is a socket: the program may read it (glibc's perror()
	 * needs a descriptor opened for reading and writing). The
	 * supervisor only reads its own end. */
	shutdown(r->err[0], SHUT_WR);
	if (r->cfg->stdin_path) {
		r->in[0] =
		    open(r->cfg->stdin_path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
		if (r->in[0] < 0)
			return -errno;
	} else if (r->cfg->stdin_data) {
		if (pipe2(r->in, O_CLOEXEC) < 0)
			return -errno;
		fcntl(r->in[1], F_SETFL, O_NONBLOCK);
	} else {
		null = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (null < 0)
			return -errno;
		r->in[0] = null;
	}
	fcntl(r->out[0], F_SETFL, O_NONBLOCK);
	fcntl(r->err[0], F_SETFL, O_NONBLOCK);
	return 0;
}

/*** Supervising a run ***/

static void layers(const struct run *r, struct sandbox_result *res)
{
	snprintf(res->layers, sizeof(res->layers),
	         "%s%s uid rlimits%s%s seccomp%s%s",
	         r->tier == TIER_FULL ? "pidns ipcns netns mntns utsns"
	                              : "subreaper uid-sweep ipc-sweep",
	         r->cg.version ? " cgroup" : "",
	         r->landlock_scope ? " landlock-scope" : "",
	         r->landlock_hide ? " landlock-hide" : "",
	         r->notify ||
	                 (r->cfg->probe_listens && probe_get()->user_notify)
	             ? " seccomp-notify"
	             : "",
	         !r->cfg->witness  ? ""
	         : r->acct.version ? " witness cpu-cgroup"
	                           : " witness cpu-lineage");
}

static void run_release(struct run *r)
{
	int *fds[] = { &r->in[0],      &r->in[1],      &r->out[0],
		       &r->out[1],     &r->err[0],     &r->err[1],
		       &r->status[0],  &r->status[1],  &r->ctl[0],
		       &r->ctl[1],     &r->nsock[0],   &r->nsock[1],
		       &r->witness[0], &r->witness[1], &r->landlock_fd };

	for (size_t i = 0; i < sizeof(fds) / sizeof(*fds); i++)
		run_close_fd(fds[i]);
	cgroup_destroy(&r->cg);
	cgroup_acct_destroy(&r->acct);
	if (r->own_workdir && r->workdir)
		fs_empty_dir(r->workdir);
	free(r->workdir);
	slot_release(&r->slot);
	free(r->exec_path);
	for (char **e = r->envp; e && *e; e++)
		free(*e);
	free(r->envp);
}

static int prepare(struct run *r, struct sandbox_result *res)
{
	const struct sandbox_config *cfg = r->cfg;
	const struct probe *pr = probe_get();
	int tier, err;

	tier = probe_pick_tier(cfg->tier);
	if (tier < 0) {
		snprintf(res->message, sizeof(res->message), "%s",
		         tier == -ENOTSUP ? pr->why_not_full
		                          : "the sandbox needs root (uid "
		                            "changes and kill rights)");
		return tier;
	}
	r->tier = res->tier = tier;
	/* Found once here, so that every keeper has the list it sweeps. */
	if (tier == TIER_BASIC)
		sweep_writable_dirs();
	res->policy = policy_lookup(cfg->policy ? cfg->policy : "ipc");
	if (!res->policy) {
		snprintf(res->message, sizeof(res->message),
		         "no seccomp policy named '%s'", cfg->policy);
		return -ENOENT;
	}
	/* A probe that listens itself leaves the run's filter without a
	 * listener (there can be only one in a chain). */
	r->notify = pr->user_notify && !(cfg->witness && cfg->probe_listens);
	r->landlock_scope = pr->landlock_abi >= 6;
	/* The full tier hides paths with mounts; the basic tier, where the
	 * kernel has Landlock, by denying read and execute under them. */
	r->landlock_fd = landlock_build(pr->landlock_abi, r->landlock_scope,
	                                tier == TIER_BASIC ? cfg->hide : NULL);
	if (r->landlock_fd < 0 && r->landlock_fd != -ENOENT) {
		err = r->landlock_fd;
		r->landlock_fd = -1;
		snprintf(res->message, sizeof(res->message),
		         "cannot build the Landlock ruleset: %s",
		         strerror(-err));
		return err;
	}
	r->landlock_hide = r->landlock_fd >= 0 && tier == TIER_BASIC &&
	                   cfg->hide && cfg->hide[0];
	if (r->landlock_fd < 0)
		r->landlock_fd = -1;
	if ((err = policy_compile(res->policy, pr->user_notify, &r->prog))) {
		snprintf(res->message, sizeof(res->message),
		         "cannot compile policy '%s': %s", res->policy,
		         strerror(-err));
		return err;
	}
	if ((err = slot_acquire(cfg->slot, &r->slot))) {
		snprintf(res->message, sizeof(res->message),
		         "no free sandbox slot: %s", strerror(-err));
		return err;
	}
	res->uid = r->slot.uid;
	if (cfg->workdir) {
		char *abs = realpath(cfg->workdir, NULL);
		if (!abs) {
			err = -errno;
			snprintf(res->message, sizeof(res->message),
			         "cannot use work dir '%s': %s", cfg->workdir,
			         strerror(errno));
			return err;
		}
		r->workdir = abs;
		if (cfg->chown_workdir &&
		    (err = fs_chown_tree(abs, r->slot.uid, r->slot.uid)))
			return err;
	} else if (!(r->workdir = slot_workdir(&r->slot))) {
		err = -errno;
		snprintf(res->message, sizeof(res->message),
		         "cannot make a work dir: %s", strerror(errno));
		return err;
	} else {
		r->own_workdir = true;
	}
	if ((err = resolve_command(r)) || (err = build_env(r)))
		return err;
	if ((err = open_pipes(r))) {
		snprintf(res->message, sizeof(res->message),
		         "cannot open pipes: %s", strerror(-err));
		return err;
	}
	if (tier == TIER_FULL) {
		/* Every run mounts its own tree on this one empty directory,
		 * each in its own mount namespace. */
		snprintf(r->root, sizeof(r->root), "%s/root", slot_state_dir());
		if (mkdir(r->root, 0700) < 0 && errno != EEXIST) {
			err = -errno;
			snprintf(res->message, sizeof(res->message),
			         "cannot make '%s': %s", r->root,
			         strerror(errno));
			return err;
		}
	}
	if (tier == TIER_FULL && (pr->cgroup_v2 || pr->cgroup_v1)) {
		static bool swept;
		if (!swept) /* once per process: leaves of killed runs */
			cgroup_sweep_stale();
		swept = true;
		err = cgroup_create(&r->cg, pr->cgroup_v2 ? 2 : 1,
		                    r->lim.memory_bytes, r->lim.processes + 1);
		if (err)
			r->cg.version = 0; /* run without; rlimits remain */
	}
	r->use_rlimit_as = r->cg.version == 0;
	if (cfg->witness && pr->cgroup_acct && cgroup_acct_create(&r->acct) < 0)
		r->acct.version = 0; /* count by lineage instead */
	return 0;
}

static pid_t spawn_keeper(struct run *r)
{
	pid_t pid;

	if (r->tier == TIER_FULL)
		pid = syscall(SYS_clone,
		              CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWNET |
		                  CLONE_NEWNS | CLONE_NEWUTS | SIGCHLD,
		              NULL, NULL, NULL, NULL);
	else
		pid = fork();
	if (pid == 0)
		keeper_main(r);
	return pid < 0 ? -errno : pid;
}

int sandbox_run(const struct sandbox_config *cfg, struct sandbox_result *res)
{
	struct run r = {
		.cfg = cfg,
		.in = { -1, -1 },
		.out = { -1, -1 },
		.err = { -1, -1 },
		.status = { -1, -1 },
		.ctl = { -1, -1 },
		.nsock = { -1, -1 },
		.witness = { -1, -1 },
		.landlock_fd = -1,
		.slot = { .index = -1, .lock_fd = -1 },
	};
	struct watch w = { .listener = -1 };
	struct cgroup_stats cs = { 0 };
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_pipe;
	int err, status;
	pid_t keeper;

	memset(res, 0, sizeof(*res));
	r.lim = sandbox_limits_fill(&cfg->limits);
	r.supervisor = getpid();
	if (!cfg->argv || !cfg->argv[0]) {
		res->status = SANDBOX_ERROR;
		snprintf(res->message, sizeof(res->message), "no command");
		return -EINVAL;
	}
	if ((err = capture_init(&res->out, r.lim.output_bytes)) ||
	    (err = capture_init(&res->err, r.lim.output_bytes)))
		goto fail;
	if ((err = prepare(&r, res)))
		goto fail;
	layers(&r, res);

	sigaction(SIGPIPE, &ign, &old_pipe);
	keeper = spawn_keeper(&r);
	if (keeper < 0) {
		err = keeper;
		snprintf(res->message, sizeof(res->message),
		         "cannot start the sandbox: %s", strerror(-err));
		sigaction(SIGPIPE, &old_pipe, NULL);
		goto fail;
	}
	w.keeper = keeper;
	/* Only the keeper and the program keep these ends. */
	run_close_fd(&r.in[0]);
	run_close_fd(&r.out[1]);
	run_close_fd(&r.err[1]);
	run_close_fd(&r.status[1]);
	run_close_fd(&r.ctl[0]);
	run_close_fd(&r.nsock[1]);
	run_close_fd(&r.witness[0]);
	run_close_fd(&r.witness[1]);
	run_close_fd(&r.landlock_fd);
	if (r.cg.version && cgroup_add(&r.cg, keeper) < 0)
		cgroup_destroy(&r.cg);
	if (r.acct.version && cgroup_acct_add(&r.acct, keeper) < 0)
		cgroup_acct_destroy(&r.acct);
	if (write(r.ctl[1], &(char){ CTL_GO }, 1) != 1) {
		/* The keeper died at once; supervise() sees the EOF. */
	}
	supervise(&r, &w, res);
	if (!w.done)
		kill(keeper, SIGKILL); /* the loop failed: end it all */
	run_close_fd(&w.listener);
	while (waitpid(keeper, &status, 0) < 0 && errno == EINTR)
		;
	sigaction(SIGPIPE, &old_pipe, NULL);
	if (!w.have_final && !w.setup_failed && r.tier == TIER_BASIC) {
		/* The keeper was killed: clean up after it ourselves. */
		unsigned n;
		sweep_kill_uid(r.slot.uid);
		sweep_ipc_uid(r.slot.uid, true, r.workdir, &n);
	}
	if (r.cg.version)
		cgroup_read(&r.cg, &cs);
	res->wall_seconds = run_now() - w.start;
	if (w.setup_failed || !w.have_final) {
		res->status = SANDBOX_ERROR;
		if (!w.setup_failed)
			snprintf(res->message, sizeof(res->message),
			         "the sandbox keeper ended unexpectedly");
		err = -EIO;
		goto out;
	}
	res->cpu_seconds =
	    w.final.cpu_seconds > w.cpu_seen ? w.final.cpu_seconds : w.cpu_seen;
	res->peak_memory_bytes = cs.peak_bytes ? cs.peak_bytes
	                         : w.rss_peak > w.final.maxrss_bytes
	                             ? w.rss_peak
	                             : w.final.maxrss_bytes;
	res->leftover_processes = w.final.leftovers;
	res->main_minflt = w.final.main_minflt;
	res->swept_ipc = w.final.swept;
	decide(&r, &w, &cs, res);
	err = 0;
	goto out;
fail:
	res->status = SANDBOX_ERROR;
	if (!res->message[0])
		snprintf(res->message, sizeof(res->message), "%s",
		         strerror(-err));
out:
	capture_finish(&res->out);
	capture_finish(&res->err);
	run_release(&r);
	return err;
}

void sandbox_result_release(struct sandbox_result *res)
{
	capture_release(&res->out);
	capture_release(&res->err);
}
