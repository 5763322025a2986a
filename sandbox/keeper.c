/*
 * The keeper: the trusted root process inside a sandbox. It builds the
 * inside (full tier), forks the program, reaps every process of the tree,
 * and when the program ends or the supervisor says so, kills and reaps
 * what is left and sweeps IPC objects, then reports on the status pipe.
 */
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fdpass.h"
#include "fsutil.h"
#include "landlock.h"
#include "nsroot.h"
#include "policy.h"
#include "proctree.h"
#include "sweep.h"
#include "witness.h"

#define FD_EXEC_REPORT 3 /* in the program before exec: close-on-exec */
#define FD_NOTIFY_SOCK 4 /* in the program before exec: sends listener */
#define FD_EXEC_BINARY 5 /* in the program before exec: what to run */

static void send_msg(struct run *r, struct keeper_msg *m)
{
	/* Far below PIPE_BUF: one atomic write. */
	while (write(r->status[1], m, sizeof(*m)) < 0 && errno == EINTR)
		;
}

static void set_rlimit(int res, rlim_t soft, rlim_t hard)
{
	struct rlimit rl = { soft, hard };
	setrlimit(res, &rl);
}

static void apply_rlimits(const struct run *r)
{
	const struct sandbox_limits *l = &r->lim;
	rlim_t cpu = (rlim_t)l->cpu_seconds + 1;

	/* Per-process backstops; the tree-wide limits are the supervisor's
	 * and the cgroup's. */
	set_rlimit(RLIMIT_CPU, cpu, cpu + 1);
	set_rlimit(RLIMIT_NPROC, l->processes, l->processes);
	set_rlimit(RLIMIT_FSIZE, l->file_bytes, l->file_bytes);
	set_rlimit(RLIMIT_NOFILE, l->open_files, l->open_files);
	set_rlimit(RLIMIT_CORE, 0, 0);
	set_rlimit(RLIMIT_MEMLOCK, 0, 0);
	set_rlimit(RLIMIT_RTPRIO, 0, 0);
	set_rlimit(RLIMIT_SIGPENDING, 1024, 1024);
	set_rlimit(RLIMIT_MSGQUEUE, 256 << 10, 256 << 10);
	set_rlimit(RLIMIT_STACK, 8 << 20, 8 << 20);
}

/* Best effort: the keeper never (-1000), the program first (1000), when
 * the machine or the cgroup runs out of memory. */
static void set_oom_score_adj(const char *val)
{
	int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (write(fd, val, strlen(val)) < 0) {
		/* Without CAP_SYS_RESOURCE lowering fails; that is fine. */
	}
	close(fd);
}

static void report_errno_and_exit(int err)
{
	/* The exec report pipe: an int means we failed before exec. */
	if (write(FD_EXEC_REPORT, &err, sizeof(err)) < 0)
		_exit(126);
	_exit(127);
}

/*
 * The program's side of the fork, in the order the research settled on:
 * session, stdio, fds, cwd, rlimits, uid, parent-death signal, seccomp,
 * exec. No allocation happens here: the filter was compiled beforehand.
 */
static void program_exec(struct run *r, int exec_w, int exec_fd, pid_t keeper)
{
	uid_t uid = r->slot.uid;
	sigset_t none;
	int fd, nsock = r->notify ? r->nsock[1] : -1, wit = r->witness[1];
	int ruleset = r->landlock_fd;

	setsid();
	/* Move what we keep above the range we are about to fill. */
	exec_w = fcntl(exec_w, F_DUPFD_CLOEXEC, 10);
	exec_fd = fcntl(exec_fd, F_DUPFD_CLOEXEC, 10);
	if (nsock >= 0)
		nsock = fcntl(nsock, F_DUPFD_CLOEXEC, 10);
	if (wit >= 0)
		wit = fcntl(wit, F_DUPFD_CLOEXEC, 10);
	if (ruleset >= 0)
		ruleset = fcntl(ruleset, F_DUPFD_CLOEXEC, 10);
	if (exec_w < 0 || exec_fd < 0 || dup2(r->in[0], 0) < 0 ||
	    dup2(r->out[1], 1) < 0 || dup2(r->err[1], 2) < 0 ||
	    dup3(exec_w, FD_EXEC_REPORT, O_CLOEXEC) < 0)
		_exit(126);
	if (dup3(exec_fd, FD_EXEC_BINARY, O_CLOEXEC) < 0)
		report_errno_and_exit(errno);
	if (nsock >= 0 && dup2(nsock, FD_NOTIFY_SOCK) < 0)
		report_errno_and_exit(errno);
	if (nsock < 0)
		close(FD_NOTIFY_SOCK);
	/* The probe's end of the witness stays open across exec. */
	if (wit >= 0 && dup2(wit, WITNESS_FD) < 0)
		report_errno_and_exit(errno);
	/* Landlock: no signal to, and no abstract Unix socket of, any process
	 * outside the sandbox (the basic tier's gap; in the full tier the PID
	 * and network namespaces already see to it), and in the basic tier
	 * the hidden paths unreadable. Read and execute only: nothing here
	 * needs either. */
	if (r->landlock_fd >= 0 && (ruleset < 0 || landlock_enter(ruleset) < 0))
		report_errno_and_exit(errno ? errno : EBADF);
	if (syscall(SYS_close_range,
	            wit >= 0 ? WITNESS_FD + 1 : FD_EXEC_BINARY + 1, ~0U, 0) < 0)
		for (fd = wit >= 0 ? WITNESS_FD + 1 : FD_EXEC_BINARY + 1;
		     fd < 65536; fd++)
			close(fd);

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);

	if (chdir(r->workdir) < 0)
		report_errno_and_exit(errno);
	umask(022);
	set_oom_score_adj("1000");
	apply_rlimits(r);
	if (setgroups(0, NULL) < 0 || setresgid(uid, uid, uid) < 0 ||
	    setresuid(uid, uid, uid) < 0)
		report_errno_and_exit(errno);
	/* After the uid change, which clears it; then close the race. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != keeper)
		_exit(126);

	fd = policy_install(&r->prog, r->notify);
	if (fd < 0)
		report_errno_and_exit(-fd);
	if (r->notify) {
		int e = fdpass_send_tag(FD_NOTIFY_SOCK, fd, FDTAG_LISTENER);
		if (e)
			report_errno_and_exit(-e);
		close(fd);
		close(FD_NOTIFY_SOCK);
	}
	/* Last: this process (the supervisor's fork) may use far more address
	 * space than the limit until exec replaces it. */
	if (r->use_rlimit_as)
		set_rlimit(RLIMIT_AS, r->lim.memory_bytes, r->lim.memory_bytes);
	syscall(SYS_execveat, FD_EXEC_BINARY, "", (char *const *)r->cfg->argv,
	        r->envp, AT_EMPTY_PATH);
	/* A #! script cannot be run from a close-on-exec descriptor (its
	 * interpreter would need /dev/fd/N): then take the path. */
	if (errno == ENOENT)
		execve(r->exec_path, (char *const *)r->cfg->argv, r->envp);
	report_errno_and_exit(errno);
}

struct reaped {
	bool main_exited;
	int main_status;
	unsigned long main_minflt; /* its faults and its waited children's */
	bool sigsys_seen;
	uint64_t maxrss;
	unsigned after_main;   /* others reaped with or after the program:
	                          it left them running or unreaped */
	bool killed_lingering; /* CTL_KILL while its leftovers lingered */
};

/* Reap every child that has ended; blocking until ECHILD when `all`. */
static void reap(pid_t main_pid, struct reaped *st, bool all)
{
	unsigned round_others = 0;

	for (;;) {
		struct rusage ru;
		int status;
		pid_t p = wait4(-1, &status, all ? 0 : WNOHANG, &ru);

		if (p < 0 && errno == EINTR)
			continue;
		if (p <= 0)
			return;
		if ((uint64_t)ru.ru_maxrss * 1024 > st->maxrss)
			st->maxrss = (uint64_t)ru.ru_maxrss * 1024;
		if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS)
			st->sigsys_seen = true;
		if (p == main_pid) {
			st->main_exited = true;
			st->main_status = status;
			st->main_minflt = (unsigned long)ru.ru_minflt;
			/* Its unreaped children came to us as it died, maybe
			 * reaped just before it in this round. */
			st->after_main += round_others;
		} else if (st->main_exited) {
			st->after_main++;
		} else {
			round_others++;
		}
	}
}

/* The program to run, opened as root. A program inside the work dir is
 * the student's: no symlink may lead out of it there (root could open what
 * the uid cannot even reach). Returns an fd or -errno. */
static int open_program(const struct run *r)
{
	size_t n = strlen(r->workdir);
	int fd;

	if (!strncmp(r->exec_path, r->workdir, n) && r->exec_path[n] == '/') {
		fd = fs_open_beneath(r->workdir, r->exec_path + n + 1, O_PATH);
		return fd == -EXDEV ? -ELOOP : fd;
	}
	fd = open(r->exec_path, O_PATH | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* Kill everything of the sandbox but ourselves. */
static void kill_all(struct run *r)
{
	if (r->tier == TIER_FULL)
		kill(-1, SIGKILL); /* as PID 1: the whole namespace */
	else
		sweep_kill_uid(r->slot.uid);
}

/* Processes of the run still alive. Everything the program started is a
 * descendant of the keeper (PID 1 of the namespace, or the subreaper): with
 * no child left, nothing is left, and no /proc scan is needed. */
static unsigned count_leftovers(const struct run *r)
{
	struct proctree_sample s;
	siginfo_t si = { 0 };

	if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) < 0 &&
	    errno == ECHILD)
		return 0;
	if (proctree_sample(r->slot.uid, 0, &s) < 0)
		return 1;
	/* Zombies count: nobody waited for them. */
	return s.processes;
}

/* The program ended and left processes behind: before they are killed,
 * the grader may look at them once (what they were doing is often the
 * answer). At most a second; nothing is reaped meanwhile. */
static void last_look(struct run *r)
{
	struct keeper_msg m = { .type = KMSG_LAST_LOOK };
	struct pollfd p = { r->ctl[0], POLLIN, 0 };
	char c;

	send_msg(r, &m);
	if (poll(&p, 1, 1000) > 0 && read(r->ctl[0], &c, 1) < 0) {
		/* the supervisor is gone: kill anyway */
	}
}

void keeper_main(struct run *r)
{
	struct keeper_msg m = { 0 };
	struct reaped st = { 0 };
	struct witness wit = { .fd = -1 };
	struct rusage ru;
	sigset_t chld;
	pid_t self, pid;
	unsigned leftovers = 0;
	int exec_pipe[2], sfd, exec_fd, e = 0, acct_fd = -1;
	char c = 0;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	set_oom_score_adj("-1000");
	/* The supervisor's ends: holding the stdin write end, say, would
	 * keep the program from ever seeing end-of-file. */
	close(r->status[0]);
	close(r->ctl[1]);
	if (r->in[1] >= 0)
		close(r->in[1]);
	close(r->out[0]);
	close(r->err[0]);
	close(r->nsock[0]);
	/* Open the program while still root and still in the host's mount
	 * namespace: the uid may not be allowed to walk the path to it (a
	 * checkout under /root or a 0700 temp dir), and in the full tier
	 * the host's /tmp is out of sight. Exec by descriptor needs only
	 * execute permission on the file, checked after the uid change. */
	exec_fd = open_program(r);
	if (exec_fd < 0)
		e = -exec_fd;
	/* The accounting cgroup by descriptor: its path is the host's. */
	if (r->acct.version)
		acct_fd = open(r->acct.path, O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (r->tier == TIER_FULL) {
		char step[160] = "";
		struct nsroot_config nc = {
			.root = r->root,
			.workdir = r->workdir,
			.hide = r->cfg->hide,
			.tmpfs_bytes = r->lim.tmpfs_bytes,
			.net_sysctls = r->cfg->net_sysctls,
			.failed_step = step,
			.failed_len = sizeof(step),
		};
		if (nsroot_setup(&nc) < 0) {
			m.type = KMSG_SETUP_FAILED;
			snprintf(m.text, sizeof(m.text), "%s", step);
			send_msg(r, &m);
			_exit(1);
		}
	} else {
		prctl(PR_SET_CHILD_SUBREAPER, 1);
	}
	/* After the namespaces: its /proc is the run's. */
	if (r->witness[0] >= 0)
		witness_init(&wit, r->witness[0], acct_fd,
		             acct_fd >= 0 ? r->acct.version : 0, r->slot.uid,
		             r->tier == TIER_FULL, &r->prog);
	/* Meanwhile the supervisor put us in the cgroup (moving a task into
	 * a v1 cgroup waits for an RCU grace period: overlap it). */
	if (read(r->ctl[0], &c, 1) != 1 || c != CTL_GO)
		_exit(1);

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	sfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0 || pipe2(exec_pipe, O_CLOEXEC) < 0) {
		m.type = KMSG_SETUP_FAILED;
		snprintf(m.text, sizeof(m.text), "keeper: %s", strerror(errno));
		send_msg(r, &m);
		_exit(1);
	}
	self = getpid();
	pid = e ? -1 : fork();
	if (pid == 0) {
		close(exec_pipe[0]);
		program_exec(r, exec_pipe[1], exec_fd, self);
	}
	if (pid < 0 && !e)
		e = errno;
	/* The supervisor knows the program by a pidfd: its pid in the
	 * host's namespace, unmistakable once it has exited. Before
	 * KMSG_STARTED, on the same socket as a listener. */
	if (pid > 0) {
		int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
		if (pfd >= 0) {
			fdpass_send_tag(r->nsock[1], pfd, FDTAG_PROGRAM);
			close(pfd);
		}
	}
	if (exec_fd >= 0)
		close(exec_fd);
	close(exec_pipe[1]);
	/* Only the program holds its stdio now. */
	close(r->in[0]);
	close(r->out[1]);
	close(r->err[1]);
	close(r->nsock[1]);
	if (r->witness[1] >= 0)
		close(r->witness[1]);
	if (pid > 0 && read(exec_pipe[0], &e, sizeof(e)) != sizeof(e))
		e = 0; /* EOF: execve() succeeded */
	close(exec_pipe[0]);
	m.type = KMSG_STARTED;
	m.exec_errno = e;
	send_msg(r, &m);

	/* Reap until the program ends or the supervisor says stop; answer
	 * the probe's questions meanwhile. With cfg->linger, what the
	 * program left holding its output runs on until the supervisor says
	 * the output is closed. */
	for (bool lingering = false; pid > 0;) {
		struct pollfd p[3] = { { sfd, POLLIN, 0 },
			               { r->ctl[0], POLLIN, 0 },
			               { wit.fd, POLLIN, 0 } };
		struct signalfd_siginfo si;

		if (st.main_exited && !lingering) {
			/* Left behind: what still lives, and what was reaped
			 * with the program (its zombies, reparented to us as
			 * it died). */
			leftovers = count_leftovers(r) + st.after_main;
			if (!leftovers || !r->cfg->linger)
				break;
			lingering = true;
			memset(&m, 0, sizeof(m));
			m.type = KMSG_LINGER;
			m.leftovers = leftovers;
			send_msg(r, &m);
		}
		if (lingering && !count_leftovers(r))
			break;
		if (poll(p, wit.fd >= 0 ? 3 : 2, -1) < 0 && errno != EINTR)
			break;
		if (wit.fd >= 0 && p[2].revents && !witness_serve(&wit))
			wit.fd = -1; /* the probe closed it */
		while (read(sfd, &si, sizeof(si)) > 0)
			;
		reap(pid, &st, false);
		if (p[1].revents) {
			/* CTL_KILL, CTL_FINISH, or the supervisor is gone */
			if (lingering && read(r->ctl[0], &c, 1) == 1 &&
			    c == CTL_KILL)
				st.killed_lingering = true;
			break;
		}
	}

	memset(&m, 0, sizeof(m));
	if (!st.main_exited)
		leftovers = count_leftovers(r);
	m.leftovers = leftovers;
	if (st.main_exited && !st.killed_lingering && count_leftovers(r) &&
	    r->cfg->tick)
		last_look(r);
	if (count_leftovers(r) || !st.main_exited)
		kill_all(r);
	reap(pid, &st, true);
	if (r->tier == TIER_BASIC)
		sweep_ipc_uid(r->slot.uid, true, r->workdir, &m.swept);

	getrusage(RUSAGE_CHILDREN, &ru);
	m.type = KMSG_DONE;
	m.exec_errno = e;
	m.main_exited = st.main_exited;
	m.wstatus = st.main_status;
	m.main_minflt = st.main_minflt;
	m.sigsys_seen = st.sigsys_seen;
	m.maxrss_bytes = st.maxrss;
	m.cpu_seconds = ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
	                (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
	send_msg(r, &m);
	_exit(0);
}
