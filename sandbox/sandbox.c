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
#include "policy.h"
#include "procfs.h"
#include "proctree.h"
#include "run.h"
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

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/*** Preparing a run ***/

/* argv[0] as the program will be executed: a name is looked up in the
 * sandbox's PATH, a relative path is taken from the work dir. */
static int resolve_command(struct run *r)
{
	const char *cmd = r->cfg->argv[0];
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

struct watch {
	double start, deadline, next_tick, tick, tick_max, kill_sent;
	bool killed, timeout_cpu, timeout_wall, output_over, violation;
	bool stopped;
	bool done, out_eof, err_eof;
	bool lingering, finish_sent; /* KMSG_LINGER came; CTL_FINISH went */
	size_t in_off;
	int listener;
	struct keeper_msg started, final;
	bool have_final, setup_failed;
	double cpu_seen;
	uint64_t rss_peak;
	pid_t keeper, main; /* host pids; main: 0 until known */
};

/* The host pid of the process a pidfd refers to; 0 once it is reaped. */
static pid_t pidfd_pid(int fd)
{
	char path[64], buf[1024], *at;
	long pid;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	if (procfs_read_file(path, buf, sizeof(buf)) <= 0 ||
	    !(at = strstr(buf, "\nPid:")))
		return 0;
	pid = strtol(at + 5, NULL, 10);
	return pid > 0 ? (pid_t)pid : 0;
}

static void request_kill(struct run *r, struct watch *w)
{
	if (w->killed)
		return;
	w->killed = true;
	w->kill_sent = now();
	if (write(r->ctl[1], &(char){ CTL_KILL }, 1) < 0) {
		/* The keeper is gone already; nothing to tell. */
	}
}

static void drain(int *fd, struct capture *c, bool *eof, struct watch *w,
                  const struct run *r, const struct sandbox_result *res)
{
	char buf[65536];

	for (int i = 0; i < 16; i++) {
		ssize_t n = read(*fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
				*eof = true;
			return;
		}
		capture_add(c, buf, n);
		if (res->out.total +
		        (r->cfg->stderr_chatter ? 0 : res->err.total) >
		    r->lim.output_bytes)
			w->output_over = true;
	}
}

static void name_call(struct sandbox_result *res, int nr, uint32_t arch)
{
	const char *abi = policy_syscall_abi(nr, arch);

	policy_syscall_name(nr, arch, res->syscall, sizeof(res->syscall));
	snprintf(res->syscall_abi, sizeof(res->syscall_abi), "%s",
	         abi ? abi : "");
}

static void violation_message(struct sandbox_result *res)
{
	if (res->syscall[0] && res->syscall_abi[0])
		snprintf(res->message, sizeof(res->message),
		         "called %s() through the %s system-call ABI (%s): a "
		         "64-bit program may not use it",
		         res->syscall, res->syscall_abi,
		         strcmp(res->syscall_abi, "i386")
		             ? "call numbers with bit 30 set"
		             : "int 0x80");
	else if (res->syscall[0])
		snprintf(res->message, sizeof(res->message),
		         "called %s(): not allowed by policy '%s'",
		         res->syscall, res->policy ? res->policy : "ipc");
	else
		snprintf(res->message, sizeof(res->message),
		         "made a forbidden system call (killed by SIGSYS; a "
		         "32-bit or x32 call, or one the policy forbids)");
}

void sandbox_violation(struct sandbox_result *res, int nr, uint32_t arch)
{
	res->status = SANDBOX_VIOLATION;
	res->exit_code = 0;
	name_call(res, nr, arch);
	violation_message(res);
}

/* A forbidden call is waiting in the kernel: name it, kill the caller
 * while it cannot move, and end the run. */
static void handle_notification(struct run *r, struct watch *w,
                                struct sandbox_result *res)
{
	struct seccomp_notif *req = NULL;
	struct seccomp_notif_resp *resp = NULL;

	if (seccomp_notify_alloc(&req, &resp))
		return;
	if (seccomp_notify_receive(w->listener, req) == 0) {
		if (!w->violation) {
			w->violation = true;
			name_call(res, req->data.nr, req->data.arch);
		}
		if (seccomp_notify_id_valid(w->listener, req->id) == 0)
			kill(req->pid, SIGKILL);
		resp->id = req->id;
		resp->error = -EPERM;
		seccomp_notify_respond(w->listener, resp);
		request_kill(r, w);
	} else if (errno != EINTR) {
		/* Every filter user is gone. */
		close_fd(&w->listener);
	}
	seccomp_notify_free(req, resp);
}

static void sample(struct run *r, struct watch *w, struct sandbox_result *res)
{
	struct proctree_sample s;
	double reaped;

	/* The keeper's reaped-children time first, then the live ones: a
	 * process reaped in between is missed once, never counted twice. */
	reaped = proctree_cpu_of(w->keeper, 0);
	if (reaped < 0 || proctree_sample(r->slot.uid, 0, &s) < 0)
		return;
	if (s.threads > res->peak_processes)
		res->peak_processes = s.threads;
	if (s.threads >= r->lim.processes)
		res->hit_processes = true;
	if (s.rss_bytes > w->rss_peak)
		w->rss_peak = s.rss_bytes;
	if (reaped + s.cpu_seconds > w->cpu_seen)
		w->cpu_seen = reaped + s.cpu_seconds;
}

static void read_status(struct run *r, struct watch *w,
                        struct sandbox_result *res)
{
	struct keeper_msg m;
	ssize_t n = read(r->status[0], &m, sizeof(m));

	if (n != sizeof(m)) {
		/* The keeper died without a final word. */
		w->done = true;
		close_fd(&r->status[0]);
		return;
	}
	if (m.type == KMSG_STARTED) {
		w->started = m;
	} else if (m.type == KMSG_SETUP_FAILED) {
		w->setup_failed = true;
		w->done = true;
		snprintf(res->message, sizeof(res->message),
		         "cannot set up the sandbox: %s", m.text);
	} else if (m.type == KMSG_LAST_LOOK) {
		/* One last tick before the keeper kills what is left. */
		if (r->cfg->tick && !w->killed)
			r->cfg->tick(
			    r->cfg->tick_arg,
			    &(struct sandbox_tick){
			        .uid = r->slot.uid,
			        .keeper = w->keeper,
			        .main = w->main,
			        .elapsed = now() - w->start,
			        .stdin_fed = w->in_off,
			        .output = res->out.total + res->err.total,
			        .last = true,
			    });
		if (write(r->ctl[1], &(char){ CTL_KILL }, 1) < 0) {
			/* the keeper is gone */
		}
	} else if (m.type == KMSG_LINGER) {
		w->lingering = true;
	} else if (m.type == KMSG_DONE) {
		w->final = m;
		w->have_final = true;
		w->done = true;
	}
}

/* Feed stdin, capture output, enforce CPU, wall and output limits, catch
 * forbidden calls, until the keeper reports the end. */
static void supervise(struct run *r, struct watch *w,
                      struct sandbox_result *res)
{
	const void *in = r->cfg->stdin_data;
	size_t in_len = r->cfg->stdin_len;

	w->start = now();
	w->deadline = w->start + r->lim.wall_seconds;
	w->tick = 0.005;
	w->tick_max = r->cfg->tick_seconds > 0 ? r->cfg->tick_seconds : 0.05;
	w->next_tick = w->start + w->tick;
	if (!in || in_len == 0)
		close_fd(&r->in[1]);

	while (!w->done || !w->out_eof || !w->err_eof) {
		struct pollfd p[6];
		int np = 0, ix_out = -1, ix_err = -1, ix_st = -1, ix_ns = -1,
		    ix_li = -1, ix_in = -1;
		double t = now(), until = w->next_tick;
		int timeout;

		if (!w->killed && until > w->deadline)
			until = w->deadline;
		if (w->done) /* only draining is left: bounded */
			until = t + 0.2;
		timeout = until > t ? (int)ceil((until - t) * 1000) : 0;

#define WATCH(ix, fd, ev)                                                      \
	if ((fd) >= 0) {                                                       \
		ix = np;                                                       \
		p[np++] = (struct pollfd){ (fd), (ev), 0 };                    \
	}
		WATCH(ix_out, w->out_eof ? -1 : r->out[0], POLLIN);
		WATCH(ix_err, w->err_eof ? -1 : r->err[0], POLLIN);
		WATCH(ix_st, r->status[0], POLLIN);
		WATCH(ix_ns, r->nsock[0], POLLIN);
		WATCH(ix_li, w->listener, POLLIN);
		WATCH(ix_in, r->in[1], POLLOUT);
#undef WATCH
		if (poll(p, np, timeout) < 0 && errno != EINTR)
			break;
		if (ix_out >= 0 && p[ix_out].revents)
			drain(&r->out[0], &res->out, &w->out_eof, w, r, res);
		if (ix_err >= 0 && p[ix_err].revents)
			drain(&r->err[0], &res->err, &w->err_eof, w, r, res);
		if (ix_li >= 0 && p[ix_li].revents & POLLIN)
			handle_notification(r, w, res);
		else if (ix_li >= 0 && p[ix_li].revents)
			close_fd(&w->listener);
		if (ix_ns >= 0 && p[ix_ns].revents) {
			char tag = 0;
			int fd = fdpass_recv_tag(r->nsock[0], &tag);
			if (fd >= 0 && tag == FDTAG_PROGRAM && !w->main) {
				w->main = pidfd_pid(fd);
				close(fd);
			} else if (fd >= 0 && tag == FDTAG_LISTENER &&
			           w->listener < 0) {
				w->listener = fd;
			} else if (fd >= 0) {
				close(fd);
			} else {
				close_fd(&r->nsock[0]);
			}
		}
		if (ix_in >= 0 && p[ix_in].revents) {
			ssize_t n =
			    write(r->in[1], (const char *)in + w->in_off,
			          in_len - w->in_off);
			if (n > 0)
				w->in_off += n;
			if (n < 0 && errno != EAGAIN && errno != EINTR)
				close_fd(
				    &r->in[1]); /* EPIPE: stopped reading */
			else if (w->in_off == in_len)
				close_fd(&r->in[1]);
		}
		if (ix_st >= 0 && p[ix_st].revents)
			read_status(r, w, res);
		if (w->done && now() > until) {
			/* Output still open after the end: a writer we could
			 * not kill. Stop waiting. */
			break;
		}

		t = now();
		if (w->output_over)
			request_kill(r, w);
		/* What the program left behind closed its output: done. */
		if (w->lingering && !w->finish_sent && !w->killed &&
		    w->out_eof && w->err_eof) {
			w->finish_sent = true;
			if (write(r->ctl[1], &(char){ CTL_FINISH }, 1) < 0) {
				/* the keeper is gone */
			}
		}
		if (!w->done && t >= w->next_tick) {
			sample(r, w, res);
			if (w->tick < w->tick_max)
				w->tick = 2 * w->tick < w->tick_max
				              ? 2 * w->tick
				              : w->tick_max;
			w->next_tick = t + w->tick;
			if (w->cpu_seen > r->lim.cpu_seconds && !w->killed) {
				w->timeout_cpu = true;
				request_kill(r, w);
			}
			/* From the start: the program's pid is known by
			 * then (it came first). */
			if (r->cfg->tick && !w->killed &&
			    w->started.type == KMSG_STARTED &&
			    r->cfg->tick(
			        r->cfg->tick_arg,
			        &(struct sandbox_tick){
			            .uid = r->slot.uid,
			            .keeper = w->keeper,
			            .main = w->main,
			            .elapsed = t - w->start,
			            .stdin_fed = w->in_off,
			            .output = res->out.total + res->err.total,
			        })) {
				w->stopped = true;
				request_kill(r, w);
			}
		}
		if (!w->done && !w->killed && t >= w->deadline) {
			w->timeout_wall = true;
			request_kill(r, w);
		}
		/* A keeper that cannot finish in 5 s is killed outright. */
		if (!w->done && w->killed && t - w->kill_sent > 5) {
			kill(w->keeper, SIGKILL);
			w->done = true;
		}
	}
}

static bool signaled_with(const struct keeper_msg *m, int sig)
{
	return m->main_exited && WIFSIGNALED(m->wstatus) &&
	       WTERMSIG(m->wstatus) == sig;
}

/* One place decides how the run ended, most specific cause first. */
static void decide(const struct run *r, const struct watch *w,
                   const struct cgroup_stats *cs, struct sandbox_result *res)
{
	const struct keeper_msg *m = &w->final;
	bool ok_exit = m->main_exited && WIFEXITED(m->wstatus) &&
	               WEXITSTATUS(m->wstatus) == 0;
	bool abnormal =
	    !ok_exit && !w->timeout_cpu && !w->timeout_wall && !w->stopped;
	/* Without a memory cgroup, a program that used most of its address
	 * space and then failed most likely ran out of it. */
	bool mem_guess = r->use_rlimit_as && abnormal &&
	                 m->maxrss_bytes >= r->lim.memory_bytes / 4 * 3;

	if (m->main_exited && WIFSIGNALED(m->wstatus))
		res->signal = WTERMSIG(m->wstatus);
	if (m->main_exited && WIFEXITED(m->wstatus))
		res->exit_code = WEXITSTATUS(m->wstatus);

	if (w->violation || signaled_with(m, SIGSYS) ||
	    (m->sigsys_seen && !ok_exit)) {
		res->status = SANDBOX_VIOLATION;
		violation_message(res);
	} else if (cs->oom_killed) {
		res->status = SANDBOX_MEMORY_LIMIT;
		snprintf(res->message, sizeof(res->message),
		         "ran out of memory (limit %llu MiB)",
		         (unsigned long long)(r->lim.memory_bytes >> 20));
	} else if (mem_guess) {
		res->status = SANDBOX_MEMORY_LIMIT;
		snprintf(
		    res->message, sizeof(res->message),
		    "ended abnormally after using %llu MiB of its %llu MiB "
		    "memory limit (an allocation most likely failed)",
		    (unsigned long long)(m->maxrss_bytes >> 20),
		    (unsigned long long)(r->lim.memory_bytes >> 20));
	} else if (w->output_over) {
		res->status = SANDBOX_OUTPUT_LIMIT;
		if (r->cfg->stderr_chatter)
			snprintf(res->message, sizeof(res->message),
			         "wrote more than %zu bytes on stdout, which "
			         "this test reads (the limit is %zu KiB)",
			         r->lim.output_bytes,
			         r->lim.output_bytes >> 10);
		else
			snprintf(res->message, sizeof(res->message),
			         "wrote more than %zu bytes on stdout and "
			         "stderr together (the limit is %zu KiB)",
			         r->lim.output_bytes,
			         r->lim.output_bytes >> 10);
	} else if (signaled_with(m, SIGXFSZ)) {
		res->status = SANDBOX_FILE_LIMIT;
		snprintf(res->message, sizeof(res->message),
		         "wrote a file larger than %llu bytes",
		         (unsigned long long)r->lim.file_bytes);
	} else if ((res->hit_processes || cs->pids_max_hit) && !ok_exit) {
		res->status = SANDBOX_PROCESS_LIMIT;
		res->hit_processes = true;
		snprintf(res->message, sizeof(res->message),
		         "reached the limit of %u processes", r->lim.processes);
	} else if (w->stopped) {
		res->status = SANDBOX_STOPPED;
		snprintf(res->message, sizeof(res->message),
		         "stopped by the grader");
	} else if (w->timeout_cpu || w->timeout_wall ||
	           signaled_with(m, SIGXCPU)) {
		res->status = SANDBOX_TIMEOUT;
		res->timeout_cpu = !w->timeout_wall;
		if (m->main_exited && w->lingering && w->timeout_wall)
			snprintf(res->message, sizeof(res->message),
			         "exited, but processes it left running still "
			         "held its stdout or stderr after %.3g s",
			         r->lim.wall_seconds);
		else
			snprintf(res->message, sizeof(res->message),
			         res->timeout_cpu
			             ? "used more than %.3g s of CPU time"
			             : "ran longer than %.3g s",
			         res->timeout_cpu ? r->lim.cpu_seconds
			                          : r->lim.wall_seconds);
	} else if (w->started.exec_errno) {
		res->status = SANDBOX_EXEC_FAILED;
		snprintf(res->message, sizeof(res->message),
		         "cannot execute '%s': %s", r->cfg->argv[0],
		         strerror(w->started.exec_errno));
	} else if (m->main_exited && WIFSIGNALED(m->wstatus)) {
		res->status = SANDBOX_SIGNALED;
		snprintf(res->message, sizeof(res->message),
		         "killed by signal %d (%s)", res->signal,
		         strsignal(res->signal));
	} else if (m->main_exited) {
		res->status = SANDBOX_EXITED;
		snprintf(res->message, sizeof(res->message),
		         "exited with status %d", res->exit_code);
	} else {
		res->status = SANDBOX_ERROR;
		snprintf(res->message, sizeof(res->message),
		         "the program's end was not observed");
	}
	if (res->status == SANDBOX_TIMEOUT || w->violation || w->stopped ||
	    res->status == SANDBOX_OUTPUT_LIMIT)
		res->exit_code = 0;
}

static void layers(const struct run *r, struct sandbox_result *res)
{
	snprintf(
	    res->layers, sizeof(res->layers), "%s%s uid rlimits%s seccomp%s%s",
	    r->tier == TIER_FULL ? "pidns ipcns netns mntns utsns"
	                         : "subreaper uid-sweep ipc-sweep",
	    r->cg.version ? " cgroup" : "",
	    r->landlock_scope ? " landlock-scope" : "",
	    r->notify || (r->cfg->probe_listens && probe_get()->user_notify)
	        ? " seccomp-notify"
	        : "",
	    !r->cfg->witness  ? ""
	    : r->acct.version ? " witness cpu-cgroup"
	                      : " witness cpu-lineage");
}

static void run_release(struct run *r)
{
	int *fds[] = { &r->in[0],      &r->in[1],     &r->out[0],
		       &r->out[1],     &r->err[0],    &r->err[1],
		       &r->status[0],  &r->status[1], &r->ctl[0],
		       &r->ctl[1],     &r->nsock[0],  &r->nsock[1],
		       &r->witness[0], &r->witness[1] };

	for (size_t i = 0; i < sizeof(fds) / sizeof(*fds); i++)
		close_fd(fds[i]);
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
	close_fd(&r.in[0]);
	close_fd(&r.out[1]);
	close_fd(&r.err[1]);
	close_fd(&r.status[1]);
	close_fd(&r.ctl[0]);
	close_fd(&r.nsock[1]);
	close_fd(&r.witness[0]);
	close_fd(&r.witness[1]);
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
	close_fd(&w.listener);
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
	res->wall_seconds = now() - w.start;
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
