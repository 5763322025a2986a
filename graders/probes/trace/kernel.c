/*
 * kernel.c - the program's start, and what the kernel sees of it: it runs
 * confined, under the run's filter plus our listener on the calls we watch
 * (rt_sigaction, exec, waits: race.c), the witness reading /proc. From
 * them: its handlers, handlers that block, whether the probe is believed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/audit.h>
#include <linux/futex.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "calls.h"
#include "confine.h"
#include "probe.h"
#include "trace.h"
#include "witness.h"

#define X32_BIT     0x40000000U
#define MAX_REPORTS 64
#define STACK_SCAN  (64u << 10)

bool confined, violated;

static int listener = -1, probe_fd = -1;
static unsigned long probe_ino;   /* our end of its report pipe */
static uint64_t lib_dev, lib_ino; /* the probe library's file */
static long violation_nr = -1;
static uint32_t violation_arch;
static bool first_exec_seen;
static int execs;             /* the program's own, after its first */
static bool hello_since_exec; /* the library said hello after the last */
static pid_t hello_pid;
static uint64_t trampoline;
static char channel_bad[200]; /* what was wrong with the library's words */

/* What rt_sigaction calls installed, from their arguments. */
static struct {
	bool set;
	uint64_t handler, flags, restorer;
} handlers[65];

struct report {
	char kind[10]; /* unsafe | blocking */
	char fn[32];
	int sig;
};
static struct report reports[MAX_REPORTS]; /* the library's */
static size_t nreports;
static struct report kreports[MAX_REPORTS]; /* the kernel's */
static size_t nkreports;

/* The calls the listener sees besides forbidden ones. */
static const int sigaction_calls[] = { SYS_rt_sigaction, SYS_execve,
	                               SYS_execveat };
static const int wait_calls[] = {
	SYS_pause,
	SYS_rt_sigsuspend,
	SYS_rt_sigtimedwait,
	SYS_select,
	SYS_pselect6,
	SYS_poll,
	SYS_ppoll,
	SYS_epoll_wait,
	SYS_epoll_pwait,
	SYS_epoll_pwait2,
	SYS_read,
	SYS_readv,
	SYS_nanosleep,
	SYS_clock_nanosleep,
	SYS_wait4,
	SYS_waitid,
	SYS_msgrcv,
	SYS_semop,
	SYS_semtimedop,
	SYS_mq_timedreceive,
	SYS_accept,
	SYS_accept4,
	SYS_recvfrom,
	SYS_recvmsg,
	SYS_futex, /* sem_wait, pthread_cond_wait...: only its waits */
};

static const int handler_waits[] = { SYS_wait4, SYS_waitid, SYS_nanosleep,
	                             SYS_clock_nanosleep };

static bool in_list(const int *list, size_t n, long nr)
{
	for (size_t i = 0; i < n; i++)
		if (list[i] == nr)
			return true;
	return false;
}

#define IN(list, nr) in_list(list, sizeof(list) / sizeof(*list), nr)

bool is_wait_call(long nr)
{
	return IN(wait_calls, nr);
}

bool kernel_id_valid(uint64_t id)
{
	return ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == 0;
}

/* ---- the start -------------------------------------------------- */

void start_program(void)
{
	int in[2], out[2], err[2], rep[2], sock[2], gate[2];
	int watch[64], nwatch = 0, e;
	struct sock_fprog run, prog;
	struct stat st;
	char go;

	if ((e = witness_filter(&run)))
		die("cannot get the run's filter: %s", strerror(-e));
	for (size_t i = 0; i < sizeof(sigaction_calls) / sizeof(int); i++)
		watch[nwatch++] = sigaction_calls[i];
	/* Every wait only for a race: seeing a call stops the program for a
	 * moment at its start, and a signal then interrupts it there, which
	 * is the race itself. For the handlers, only the calls that block
	 * in a handler with nothing gained by racing them. */
	for (size_t i = 0; i < sizeof(wait_calls) / sizeof(int); i++)
		if (races_left ||
		    (watch_waits && IN(handler_waits, wait_calls[i])))
			watch[nwatch++] = wait_calls[i];
	if ((e = confine_program(&run, watch, nwatch, &prog)))
		die("cannot make the program's filter: %s", strerror(-e));
	if (preload) {
		if (stat(preload, &st) < 0)
			die("%s: %s", preload, strerror(errno));
		lib_dev = st.st_dev;
		lib_ino = st.st_ino;
	}
	/* Hold fd PROBE_FD, so that no pipe end is there when the child
	 * moves the report's end onto it. */
	while (open("/dev/null", O_RDONLY | O_CLOEXEC) < PROBE_FD)
		;
	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0 ||
	    pipe2(err, O_CLOEXEC) < 0 || pipe2(rep, O_CLOEXEC) < 0 ||
	    pipe2(gate, O_CLOEXEC) < 0 ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sock) < 0)
		die("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		sigset_t none;
		char fdv[16];

		signal(SIGPIPE, SIG_DFL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		close(gate[1]);
		if (read(gate[0], &go, 1) != 1 || go != 'g')
			_exit(127);
		if (dup2(in[0], 0) < 0 || dup2(out[1], 1) < 0 ||
		    dup2(err[1], 2) < 0 || dup2(rep[1], PROBE_FD) < 0)
			_exit(127);
		if (preload) {
			setenv("LD_PRELOAD", preload, 1);
			snprintf(fdv, sizeof(fdv), "%d", PROBE_FD);
			setenv("IPCGRADE_PROBE_FD", fdv, 1);
		}
		if ((e = confine_student()) && e != -EOPNOTSUPP) {
			fprintf(stderr, "trace: cannot confine: %s\n",
			        strerror(-e));
			_exit(127);
		}
		/* Last: the exec below is already one of the calls seen. */
		if ((e = confine_listen(&prog, sock[1]))) {
			fprintf(stderr, "trace: cannot watch: %s\n",
			        strerror(-e));
			_exit(127);
		}
		execv(prog_argv[0], prog_argv);
		fprintf(stderr, "cannot run %s: %s\n", prog_argv[0],
		        strerror(errno));
		_exit(127);
	}
	close(gate[0]);
	close(sock[1]);
	close(in[0]);
	close(out[1]);
	close(err[1]);
	close(rep[1]);
	if (witness_account(pid, "prog"))
		die("cannot count the program's CPU");
	if (write(gate[1], "g", 1) != 1)
		die("cannot start the program");
	close(gate[1]);
	listener = fdpass_recv(sock[0]);
	close(sock[0]);
	if (listener < 0) {
		/* It could not even be watched; what it said is in the
		 * transcript, and that it ended is all there is. */
		waitpid(pid, &status, 0);
		die("the program could not be started under watch");
	}
	confined = confine_landlock_abi() > 0;
	free(prog.filter);
	free(run.filter);
	in_fd = in[1];
	output_start(out[0], err[0]);
	probe_fd = rep[0];
	fcntl(probe_fd, F_SETFL, O_NONBLOCK);
	if (fstat(probe_fd, &st) == 0)
		probe_ino = st.st_ino;
	{
		char v[24];
		int n = snprintf(v, sizeof(v), "%d", (int)pid);
		set_var("pid", v, (size_t)n);
	}
}

/* ---- the probe library's words ----------------------------------- */

static void library_said(const char *l)
{
	struct report r = { 0 };
	char sig[16];
	unsigned long long addr;
	int p, n = 0;

	if (sscanf(l, "hello %d %llx%n", &p, &addr, &n) == 2 && !l[n]) {
		hello_pid = p;
		trampoline = addr;
		hello_since_exec = true;
		return;
	}
	if (sscanf(l, "%9s %31s %15s%n", r.kind, r.fn, sig, &n) == 3 && !l[n] &&
	    (!strcmp(r.kind, "unsafe") || !strcmp(r.kind, "blocking"))) {
		r.sig = signum(sig);
		if (nreports == MAX_REPORTS) {
			snprintf(channel_bad, sizeof(channel_bad),
			         "more than %d reports came", MAX_REPORTS);
			return;
		}
		reports[nreports++] = r;
		return;
	}
	if (!channel_bad[0])
		snprintf(channel_bad, sizeof(channel_bad),
		         "a line it never writes came (\"%.60s\")", l);
}

/* Read what the library wrote; whether anything came. */
static bool take_probe(void)
{
	static char part[256];
	static size_t len;
	char buf[4096];
	ssize_t k = read(probe_fd, buf, sizeof(buf));

	if (k <= 0) {
		if (k == 0 || (errno != EAGAIN && errno != EINTR)) {
			close(probe_fd);
			probe_fd = -1;
		}
		return false;
	}
	for (ssize_t i = 0; i < k; i++) {
		if (buf[i] == '\n') {
			part[len] = '\0';
			library_said(part);
			len = 0;
		} else if (len == sizeof(part) - 1) {
			if (!channel_bad[0])
				snprintf(channel_bad, sizeof(channel_bad),
				         "a line longer than it ever writes "
				         "came");
		} else {
			part[len++] = buf[i];
		}
	}
	return true;
}

/* ---- the listener -------------------------------------------------- */

/* Whether thread tid belongs to the program itself (not a child). */
bool of_program(pid_t tid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/task/%d", (int)pid, (int)tid);
	return access(path, F_OK) == 0;
}

static void on_sigaction(const struct seccomp_notif *req)
{
	uint64_t ksa[4]; /* handler, flags, restorer, mask */
	int sig = (int)req->data.args[0];

	if (!req->data.args[1] || sig <= 0 || sig > 64 ||
	    !of_program((pid_t)req->pid))
		return;
	if (witness_mem((pid_t)req->pid, req->data.args[1], ksa, sizeof(ksa)) !=
	    (ssize_t)sizeof(ksa))
		return;
	/* What was read belongs to this very call (not a reused pid). */
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &req->id) < 0)
		return;
	handlers[sig].set = true;
	handlers[sig].handler = ksa[0];
	handlers[sig].flags = ksa[1];
	handlers[sig].restorer = ksa[2];
}

static void on_exec(const struct seccomp_notif *req)
{
	if (!first_exec_seen && (pid_t)req->pid == pid) {
		first_exec_seen = true;
		return;
	}
	if (!of_program((pid_t)req->pid))
		return; /* a child's exec is its own business */
	/* What the old image said (its hello among it) is in the pipe
	 * already: take it first, so that it is not taken for the new's. */
	while (probe_fd >= 0 && take_probe())
		;
	execs++;
	hello_since_exec = false;
	/* exec resets every handler */
	memset(handlers, 0, sizeof(handlers));
}

/* Which signal a frame found on the stack is for: its siginfo says so
 * when the handler takes one (SA_SIGINFO). Otherwise the thread's mask:
 * a handler runs with its own signal blocked (and its sa_mask), so the
 * handled signals blocked now are the candidates; the fewest win, first
 * those the frame's saved mask lacked. 0: none fits, so it is no frame;
 * SIG_SOME: a handler, of a signal that cannot be told. */
#define SIG_SOME 65

static int frame_signal(const unsigned char *frame, uint64_t now_blocked)
{
	uint64_t saved, handled = 0, cand;
	int32_t signo;
	int first = 0, n = 0;

	memcpy(&signo, frame + 8 + 304, 4);
	if (signo > 0 && signo <= 64 && handlers[signo].set &&
	    handlers[signo].handler > 1 && (handlers[signo].flags & SA_SIGINFO))
		return signo;
	for (int s = 1; s <= 64; s++)
		if (handlers[s].set && handlers[s].handler > 1 &&
		    !(handlers[s].flags & SA_SIGINFO))
			handled |= 1ULL << (s - 1);
	memcpy(&saved, frame + 8 + 296, 8);
	cand = now_blocked & handled & ~saved;
	if (!cand)
		cand = now_blocked & handled;
	for (int s = 1; s <= 64; s++)
		if (cand >> (s - 1) & 1) {
			first = first ? first : s;
			n++;
		}
	return n == 1 ? first : n ? SIG_SOME : 0;
}

/* The signal whose handler thread tid runs in, from the signal frame the
 * kernel put on its stack (found by the restorer address every handler
 * returns through, checked by what follows it); 0 when none. */
int handler_running(pid_t tid)
{
	static unsigned char stack[STACK_SCAN];
	struct wproc w;
	uint64_t sp = 0, blocked = 0, restorers[8];
	size_t got = 0, nr = 0;

	for (int s = 1; s <= 64; s++) {
		bool known = false;
		if (!handlers[s].set || handlers[s].handler <= 1 ||
		    !(handlers[s].flags & 0x04000000 /* SA_RESTORER */))
			continue;
		for (size_t i = 0; i < nr; i++)
			known |= restorers[i] == handlers[s].restorer;
		if (!known && nr < 8)
			restorers[nr++] = handlers[s].restorer;
	}
	if (!nr || witness_proc(pid, &w))
		return 0;
	for (int i = 0; i < w.ntasks; i++)
		if (w.tasks[i].tid == tid) {
			sp = w.tasks[i].sp;
			blocked = w.tasks[i].sigblk;
		}
	if (!sp)
		return 0;
	while (got < STACK_SCAN) {
		ssize_t k = witness_mem(tid, sp + got, stack + got, 4096);
		if (k <= 0)
			break;
		got += (size_t)k;
	}
	/* rt_sigframe: pretcode, ucontext (304 bytes: its saved mask at
	 * 296), siginfo. */
	for (size_t off = 0; off + 8 + 304 + 4 <= got; off += 8) {
		uint64_t word;
		int sig;
		memcpy(&word, stack + off, 8);
		for (size_t i = 0; i < nr; i++)
			if (word == restorers[i] &&
			    (sig = frame_signal(stack + off, blocked)))
				return sig;
	}
	return 0;
}

/* A call that waits, made inside a handler: the kernel's own report. */
void blocking_in_handler(const struct seccomp_notif *req)
{
	long nr = req->data.nr;
	uint64_t opts = nr == SYS_wait4    ? req->data.args[2]
	                : nr == SYS_waitid ? req->data.args[3]
	                                   : 0;
	bool waits =
	    nr == SYS_pause || nr == SYS_rt_sigsuspend || nr == SYS_nanosleep ||
	    nr == SYS_clock_nanosleep ||
	    ((nr == SYS_wait4 || nr == SYS_waitid) && !(opts & WNOHANG));
	int sig;

	if (!waits || !of_program((pid_t)req->pid) ||
	    !(sig = handler_running((pid_t)req->pid)))
		return;
	for (size_t i = 0; i < nkreports; i++)
		if (kreports[i].sig == sig &&
		    !strcmp(kreports[i].fn, probe_call_name(nr)))
			return;
	if (nkreports < MAX_REPORTS) {
		struct report *r = &kreports[nkreports++];
		snprintf(r->kind, sizeof(r->kind), "blocking");
		snprintf(r->fn, sizeof(r->fn), "%s", probe_call_name(nr));
		r->sig = sig;
	}
}

void kernel_respond(struct seccomp_notif_resp *resp)
{
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, resp) < 0) {
		/* the caller died, or a signal withdrew the call */
	}
}

static void serve(void)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;
	long nr;

	memset(&req, 0, sizeof(req));
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
		if (errno != EINTR && errno != ENOENT) {
			/* every process that used it is gone */
			close(listener);
			listener = -1;
		}
		return;
	}
	memset(&resp, 0, sizeof(resp));
	resp.id = req.id;
	resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	nr = req.data.nr;
	if (req.data.arch != AUDIT_ARCH_X86_64 || ((unsigned)nr & X32_BIT) ||
	    (!IN(sigaction_calls, nr) && !IN(wait_calls, nr))) {
		/* Only the run's own filter notifies anything else. */
		/* The run's policy forbids it: it never runs. */
		if (violation_nr < 0) {
			violation_nr = nr;
			violation_arch = req.data.arch;
		}
		violated = true;
		kill((pid_t)req.pid, SIGKILL);
		resp.flags = 0;
		resp.error = -EPERM;
	} else if (nr == SYS_rt_sigaction) {
		on_sigaction(&req);
	} else if (nr == SYS_execve || nr == SYS_execveat) {
		on_exec(&req);
	} else if (!race_on_wait(&req, &resp)) {
		return; /* held */
	}
	kernel_respond(&resp);
}

int kernel_fds(int *fds, int max)
{
	int n = 0;

	if (listener >= 0 && n < max)
		fds[n++] = listener;
	if (probe_fd >= 0 && n < max)
		fds[n++] = probe_fd;
	return n;
}

void kernel_ready(int fd)
{
	if (fd == listener)
		serve();
	else if (fd == probe_fd)
		take_probe();
}

/* ---- /proc, through the witness ---------------------------------- */

char state_of(pid_t p)
{
	struct wproc w;

	return witness_proc(p, &w) ? '?' : w.state;
}

bool program_sleeps(void)
{
	struct wproc w;

	if (witness_proc(pid, &w))
		return true;
	if (w.state == 'Z' || w.state == 'T' || w.state == 't')
		return true;
	for (int i = 0; i < w.ntasks; i++) {
		char s = w.tasks[i].state;
		if (s != 'S' && s != 'D' && s != 'T' && s != 't' && s != 'Z' &&
		    s != 'X')
			return false;
	}
	return true;
}

size_t children_of(pid_t p, pid_t *out, size_t max)
{
	int n = witness_children(p, out, (int)max);

	return n > 0 ? (size_t)n : 0;
}

int masks_of(pid_t p, uint64_t *blocked, int *tids, int max)
{
	struct wproc w;
	int n = 0;

	if (witness_proc(p, &w))
		return -1;
	for (int i = 0; i < w.ntasks && n < max; i++) {
		if (w.tasks[i].state == 'Z' || w.tasks[i].state == 'X')
			continue;
		blocked[n] = w.tasks[i].sigblk;
		tids[n++] = w.tasks[i].tid;
	}
	return n;
}

bool program_cpu(double *seconds)
{
	return witness_cpu("prog", seconds) == 0;
}

const char *waiting_in(void)
{
	struct wproc w;

	if (witness_proc(pid, &w))
		return NULL;
	for (int i = 0; i < w.ntasks; i++)
		if (w.tasks[i].tid == pid && w.tasks[i].syscall >= 0 &&
		    w.tasks[i].state == 'S')
			return probe_call_name(w.tasks[i].syscall);
	return NULL;
}

long long writes_made(void)
{
	struct wproc w;

	if (witness_proc(pid, &w))
		return -1;
	return (long long)w.syscw;
}

/* ---- is the probe still there? ------------------------------------ */

/* Whether /proc/PID/maps has an executable mapping of the library's
 * file, and (addr != 0) one that holds addr. */
static bool library_mapped(uint64_t addr)
{
	const char *maps, *l;

	if (witness_maps(pid, &maps))
		return false;
	for (l = maps; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : l) {
		unsigned long long lo, hi, ino;
		unsigned maj, min;
		char perms[8];
		if (sscanf(l, "%llx-%llx %7s %*x %x:%x %llu", &lo, &hi, perms,
		           &maj, &min, &ino) != 6)
			continue;
		if (ino == lib_ino && makedev(maj, min) == lib_dev &&
		    perms[2] == 'x' && (!addr || (addr >= lo && addr < hi)))
			return true;
	}
	return false;
}

static char tampered[400]; /* the first check that failed, sticky */

/* The checks, now, on the live program; "" or why it fails. */
static const char *probe_check(void)
{
	static char why[400];
	struct wfd fds[64];
	struct wproc w;
	int n;

	if (channel_bad[0]) {
		snprintf(why, sizeof(why),
		         "the handler probe's channel was tampered with: %s",
		         channel_bad);
		return why;
	}
	if (execs && !hello_since_exec)
		return "the program ran without the handler probe: it "
		       "re-executed itself (exec), and the probe was not "
		       "loaded again";
	if (!library_mapped(0))
		return "the handler probe is not loaded in the program (is "
		       "it linked statically?), so its handlers could not "
		       "be checked";
	if (!hello_since_exec || hello_pid != pid ||
	    !library_mapped(trampoline))
		return "the handler probe did not start in the program, so "
		       "its handlers could not be checked";
	if (witness_fds(pid, fds, 64, &n))
		return "the program's descriptors could not be read";
	for (int i = 0; i < n && i < 64; i++)
		if (fds[i].fd == PROBE_FD) {
			if (strcmp(fds[i].kind, "pipe") ||
			    fds[i].ino != probe_ino)
				break;
			goto fd_ok;
		}
	return "the program closed or replaced the handler probe's "
	       "descriptor (fd 3), so what its handlers did could not be "
	       "seen";
fd_ok:
	if (witness_proc(pid, &w))
		return "";
	for (int s = 1; s <= 64; s++) {
		bool caught = w.sigcgt >> (s - 1) & 1;
		if (!caught)
			continue;
		if (!handlers[s].set || handlers[s].handler != trampoline) {
			snprintf(why, sizeof(why),
			         "the SIG%s handler was installed without the "
			         "handler probe seeing it (sigaction under "
			         "another name, or rt_sigaction itself), so "
			         "what it does could not be checked",
			         sigabbrev_np(s) ? sigabbrev_np(s) : "?");
			return why;
		}
	}
	return "";
}

void probe_watch(void)
{
	const char *why;

	if (!preload || tampered[0] || exited)
		return;
	check_exit();
	if (exited)
		return;
	why = probe_check();
	/* Gone meanwhile: what it did before is all there is. */
	check_exit();
	if (!exited)
		snprintf(tampered, sizeof(tampered), "%s", why);
}

const char *probe_intact(void)
{
	drain();
	if (!preload)
		return "";
	probe_watch();
	return tampered[0] ? tampered : channel_bad[0] ? probe_check() : "";
}

/* Same kind of call, for a person: the library's names and the
 * kernel's side by side. */
static const char *family(const char *fn)
{
	if (!strcmp(fn, "waitpid") || !strcmp(fn, "wait") ||
	    !strcmp(fn, "waitid"))
		return "wait";
	if (!strcmp(fn, "sleep") || !strcmp(fn, "usleep") ||
	    !strcmp(fn, "nanosleep") || !strcmp(fn, "clock_nanosleep"))
		return "sleep";
	return fn;
}

size_t handler_reports(const char *kind, char *list, size_t len)
{
	size_t n = 0;

	drain();
	for (int pass = 0; pass < 2; pass++) {
		const struct report *r = pass ? kreports : reports;
		size_t count = pass ? nkreports : nreports;
		for (size_t i = 0; i < count; i++) {
			bool dup = false;
			if (strcmp(r[i].kind, kind))
				continue;
			/* the kernel's, unless the library named it */
			for (size_t j = 0; pass && j < nreports; j++)
				dup |= reports[j].sig == r[i].sig &&
				       !strcmp(family(reports[j].fn),
				               family(r[i].fn));
			if (dup)
				continue;
			n++;
			if (r[i].sig == SIG_SOME || !sigabbrev_np(r[i].sig))
				snprintf(list + strlen(list),
				         len - strlen(list),
				         "%s%s() in a signal handler",
				         n > 1 ? ", " : "", r[i].fn);
			else
				snprintf(list + strlen(list),
				         len - strlen(list),
				         "%s%s() in the SIG%s handler",
				         n > 1 ? ", " : "", r[i].fn,
				         sigabbrev_np(r[i].sig));
		}
	}
	return n;
}

void kernel_report(void)
{
	if (violation_nr >= 0)
		putf("violation %ld %" PRIu32 "\n", violation_nr,
		     violation_arch);
	putf("confined %s\n", confined ? "yes" : "no");
	putf("probe %s\n", hello_pid == pid ? "loaded" : "absent");
}
