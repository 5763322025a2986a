/*
 * supervise.c - the supervisor's side of a run: feed stdin, capture
 * output, enforce the CPU, wall and output limits, catch forbidden calls,
 * tick the caller's hook, answer the keeper (supervise()); then decide how
 * the run ended, most specific cause first (decide()).
 */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fdpass.h"
#include "policy.h"
#include "procfs.h"
#include "proctree.h"
#include "supervise.h"

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
	w->kill_sent = run_now();
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
		run_close_fd(&w->listener);
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
	if (reaped < 0 || proctree_sample_tree(w->keeper, r->slot.uid, &s) < 0)
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

/* The caller's tick at time t (last: the keeper's last look before it
 * kills what is left); whether the caller asks for the run to end. */
static int tick(struct run *r, struct watch *w,
                const struct sandbox_result *res, double t, bool last)
{
	struct sandbox_tick k = {
		.uid = r->slot.uid,
		.keeper = w->keeper,
		.main = w->main,
		.elapsed = t - w->start,
		.stdin_fed = w->in_off,
		.output = res->out.total + res->err.total,
		.last = last,
	};

	return r->cfg->tick(r->cfg->tick_arg, &k);
}

static void read_status(struct run *r, struct watch *w,
                        struct sandbox_result *res)
{
	struct keeper_msg m;
	ssize_t n = read(r->status[0], &m, sizeof(m));

	if (n != sizeof(m)) {
		/* The keeper died without a final word. */
		w->done = true;
		run_close_fd(&r->status[0]);
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
			tick(r, w, res, run_now(), true);
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
void supervise(struct run *r, struct watch *w, struct sandbox_result *res)
{
	const void *in = r->cfg->stdin_data;
	size_t in_len = r->cfg->stdin_len;

	w->start = run_now();
	w->deadline = w->start + r->lim.wall_seconds;
	w->tick = 0.005;
	w->tick_max = r->cfg->tick_seconds > 0 ? r->cfg->tick_seconds : 0.05;
	w->next_tick = w->start + w->tick;
	if (!in || in_len == 0)
		run_close_fd(&r->in[1]);

	while (!w->done || !w->out_eof || !w->err_eof) {
		struct pollfd p[6];
		int np = 0, ix_out = -1, ix_err = -1, ix_st = -1, ix_ns = -1,
		    ix_li = -1, ix_in = -1;
		double t = run_now(), until = w->next_tick;
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
			run_close_fd(&w->listener);
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
				run_close_fd(&r->nsock[0]);
			}
		}
		if (ix_in >= 0 && p[ix_in].revents) {
			ssize_t n =
			    write(r->in[1], (const char *)in + w->in_off,
			          in_len - w->in_off);
			if (n > 0)
				w->in_off += n;
			if (n < 0 && errno != EAGAIN && errno != EINTR)
				run_close_fd(
				    &r->in[1]); /* EPIPE: stopped reading */
			else if (w->in_off == in_len)
				run_close_fd(&r->in[1]);
		}
		if (ix_st >= 0 && p[ix_st].revents)
			read_status(r, w, res);
		if (w->done && run_now() > until) {
			/* Output still open after the end: a writer we could
			 * not kill. Stop waiting. */
			break;
		}

		t = run_now();
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
			    tick(r, w, res, t, false)) {
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
void decide(const struct run *r, const struct watch *w,
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
