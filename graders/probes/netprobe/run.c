/*
 * run.c - netprobe's plan, report and server: read the plan, start the
 * server and await it, look at its processes, report the verdict.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "confine.h"
#include "netprobe.h"
#include "witness.h"

/* ---- the plan and the report ---- */

struct net_plan plan = { .server_fd = -1,
	                 .client_fd = -1,
	                 .server_who = "student",
	                 .client_who = "student",
	                 .seed = 1 };
pid_t server = -1;
int server_status;
bool server_gone;
int port;

static void stop_server(void)
{
	if (server > 0 && !server_gone) {
		kill(-server, SIGKILL);
		kill(server, SIGKILL);
		waitpid(server, &server_status, 0);
		server_gone = true;
	}
}

void passed(void)
{
	stop_server();
	putf("status passed\n");
	guard_report();
	putf("end\n");
	exit(0);
}

static void put_chatter(void);

void verdict(const char *status, const char *fmt, ...)
{
	char msg[900];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	stop_server();
	putf("status %s\n", status);
	if (msg[0])
		putf("message %s\n", msg);
	put_chatter();
	guard_report();
	putf("end\n");
	exit(0);
}

static int remove_one(const char *path, const struct stat *st, int type,
                      struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

void read_plan(void)
{
	char line[512];
	const char *ports = getenv("IPCGRADE_PORTS");

	while (fgets(line, sizeof(line), stdin)) {
		char a[64], b[256];
		long v;

		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, "exe %63s %255s", a, b) == 2) {
			int fd = open(b, O_PATH | O_CLOEXEC);
			if (fd < 0)
				die("%s: %s", b, strerror(errno));
			if (!strcmp(a, "server"))
				plan.server_fd = fd;
			else
				plan.client_fd = fd;
			if (strstr(line, " student"))
				snprintf(!strcmp(a, "server") ? plan.server_who
				                              : plan.client_who,
				         16, "student");
		} else if (sscanf(line, "hide %255s", b) == 1) {
			/* The programs are open: remove the copies so nothing
			 * the run starts can read or replace them. */
			nftw(b, remove_one, 16, FTW_DEPTH | FTW_PHYS);
		} else if (sscanf(line, "seed %63s", a) == 1) {
			plan.seed = strtoull(a, NULL, 10);
		} else if (sscanf(line, "check %31s", plan.check) == 1) {
		} else if (sscanf(line, "who %63s %15s", a, b) == 2) {
			snprintf(!strcmp(a, "server") ? plan.server_who
			                              : plan.client_who,
			         16, "%.15s", b);
		} else if (sscanf(line, "set %63s %ld", a, &v) == 2) {
			if (!strcmp(a, "bytes"))
				plan.bytes = v;
			else if (!strcmp(a, "clients"))
				plan.clients = v;
			else if (!strcmp(a, "conns"))
				plan.conns = v;
			else if (!strcmp(a, "stall_ms"))
				plan.stall_ms = v;
			else if (!strcmp(a, "cpu_limit_ms"))
				plan.cpu_limit_ms = v;
			else if (!strcmp(a, "wall_limit_ms"))
				plan.wall_limit_ms = v;
			else
				die("unknown setting '%s'", a);
		} else if (line[0]) {
			die("bad plan line '%.60s'", line);
		}
	}
	if (!ports ||
	    sscanf(ports, "%d-%d", &plan.first_port, &plan.last_port) != 2 ||
	    plan.first_port < 1024 || plan.last_port < plan.first_port)
		die("no port range (IPCGRADE_PORTS)");
}

/* ---- data ---- */

size_t drawn_size(size_t base)
{
	return base + (size_t)(plan.seed % (base / 16 + 1));
}

/* Bytes from the plan's seed: short text lines, or binary with many NULs. */
unsigned char *make_data(size_t len, uint64_t seed, bool binary)
{
	static const char words[] = "echo socket accept connect poll read "
	                            "write shutdown listen bind fork thread ";
	unsigned char *buf = malloc(len ? len : 1);
	uint64_t x =
	    0x9e3779b97f4a7c15ULL ^ ((seed + plan.seed) * 0x100000001b3ULL);

	if (!buf)
		die("out of memory");
	for (size_t i = 0, w = 0, col = 0; i < len; i++) {
		uint64_t r;
		x ^= x >> 12;
		x ^= x << 25;
		x ^= x >> 27;
		r = x * 0x2545f4914f6cdd1dULL;
		if (binary) {
			buf[i] = (r >> 60) < 4 ? 0 : (unsigned char)(r >> 24);
		} else if (col > 20 && (r >> 59) == 0) {
			buf[i] = '\n';
			col = 0;
		} else {
			buf[i] =
			    (unsigned char)words[w++ % (sizeof(words) - 1)];
			col++;
		}
	}
	if (!binary && len)
		buf[len - 1] = '\n';
	return buf;
}

/* ---- the programs ---- */

const char *who_server(void)
{
	return !strcmp(plan.server_who, "student") ? "the server"
	                                           : "the reference server";
}

const char *who_client(void)
{
	return !strcmp(plan.client_who, "student") ? "the client"
	                                           : "the reference client";
}

/* How a process ended, as words: "exited with status 1". */
void describe_end(int st, char *out, size_t n)
{
	if (WIFSIGNALED(st))
		snprintf(out, n, "was killed by signal %d (SIG%s)",
		         WTERMSIG(st),
		         sigabbrev_np(WTERMSIG(st)) ? sigabbrev_np(WTERMSIG(st))
		                                    : "?");
	else
		snprintf(out, n, "exited with status %d", WEXITSTATUS(st));
}

/* What a signal usually means here, or "". */
const char *signal_hint(int st)
{
	if (WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE)
		return ": it wrote to a connection (or pipe) whose other end "
		       "was gone, and SIGPIPE's default action ends the "
		       "process (ignore it with signal(SIGPIPE, SIG_IGN), or "
		       "send with MSG_NOSIGNAL)";
	return "";
}

bool server_alive(void)
{
	if (server_gone)
		return false;
	if (waitpid(server, &server_status, WNOHANG) == server)
		server_gone = true;
	return !server_gone;
}

/* Fails the check when the server has ended. */
void require_server(const char *when)
{
	char how[300];

	if (server_alive())
		return;
	describe_end(server_status, how, sizeof(how));
	verdict("failed", "%s %s %s%s", who_server(), how, when,
	        signal_hint(server_status));
}

/* What the programs print that no check reads (a server's log, say):
 * read as it comes by a thread of its own, so that it never holds a
 * program up nor fills the run's output; its size and its first
 * CHATTER_KEPT bytes are kept for the report. */
#define CHATTER_KEPT 2048
static int chatter[2] = { -1, -1 };
static unsigned long long chattered;
static char chatter_head[CHATTER_KEPT];
static pthread_mutex_t chatter_lock = PTHREAD_MUTEX_INITIALIZER;

static void *swallow(void *arg)
{
	char buf[65536];
	ssize_t k;

	(void)arg;
	while ((k = read(chatter[0], buf, sizeof(buf))) != 0) {
		if (k <= 0)
			continue;
		pthread_mutex_lock(&chatter_lock);
		if (chattered < CHATTER_KEPT)
			memcpy(chatter_head + chattered, buf,
			       (size_t)k < CHATTER_KEPT - chattered
			           ? (size_t)k
			           : CHATTER_KEPT - chattered);
		chattered += (unsigned long long)k;
		pthread_mutex_unlock(&chatter_lock);
	}
	return NULL;
}

/* "chatter BYTES HEAD": what the programs printed, not graded. */
static void put_chatter(void)
{
	pthread_mutex_lock(&chatter_lock);
	if (chattered) {
		putf("chatter %llu ", chattered);
		put_word(chatter_head, chattered < CHATTER_KEPT
		                           ? (size_t)chattered
		                           : CHATTER_KEPT);
		putf("\n");
	}
	pthread_mutex_unlock(&chatter_lock);
}

int chatter_fd(void)
{
	pthread_t t;

	if (chatter[1] < 0) {
		if (pipe2(chatter, O_CLOEXEC) < 0 ||
		    pthread_create(&t, NULL, swallow, NULL) != 0)
			die("cannot read the programs' output: %s",
			    strerror(errno));
		pthread_detach(t);
	}
	return chatter[1];
}

pid_t spawn(int exe, const char *const *argv, int in, int out, int err)
{
	bool is_server = exe == plan.server_fd;
	bool student =
	    !strcmp(is_server ? plan.server_who : plan.client_who, "student");
	int gate[2];
	pid_t pid;

	chatter_fd();
	if (pipe2(gate, O_CLOEXEC) < 0)
		die("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR | O_CLOEXEC), e;
		sigset_t none;
		char go = 0;
		setpgid(0, 0);
		signal(SIGPIPE, SIG_DFL);
		signal(SIGCHLD, SIG_DFL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		/* Not before it counts in its own group. */
		close(gate[1]);
		if (read(gate[0], &go, 1) != 1 || go != 'g')
			_exit(127);
		if (dup2(in >= 0 ? in : null, 0) < 0 ||
		    dup2(out >= 0 ? out : chatter_fd(), 1) < 0 ||
		    dup2(err >= 0 ? err : chatter_fd(), 2) < 0)
			_exit(127);
		if (student && (e = confine_student()) && e != -EOPNOTSUPP) {
			fprintf(stderr, "netprobe: cannot confine %s: %s\n",
			        argv[0], strerror(-e));
			_exit(127);
		}
		execveat(exe, "", (char *const *)argv, environ, AT_EMPTY_PATH);
		/* A #! script's interpreter opens it as /dev/fd/N, which a
		 * close-on-exec descriptor does not survive: keep it open. */
		if (errno == ENOENT) {
			fcntl(exe, F_SETFD, 0);
			execveat(exe, "", (char *const *)argv, environ,
			         AT_EMPTY_PATH);
		}
		fprintf(stderr, "netprobe: cannot run %s: %s\n", argv[0],
		        strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);
	close(gate[0]);
	if (witness_account(pid, is_server ? "server" : "client"))
		die("cannot count the %s's CPU",
		    is_server ? "server" : "client");
	if (write(gate[1], "g", 1) != 1)
		die("cannot start %s", argv[0]);
	close(gate[1]);
	return pid;
}

static int tcp_socket(void)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		die("socket: %s", strerror(errno));
	return fd;
}

static struct sockaddr_in addr_of(int p)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
		                 .sin_port = htons((uint16_t)p) };

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

/* A port of our range nothing holds (not even a TIME_WAIT socket of an
 * earlier run in this slot): bind it without SO_REUSEADDR to see. */
int free_port(int skip)
{
	int n = plan.last_port - plan.first_port + 1;
	for (int i = 0; i < n; i++) {
		int p = plan.first_port + i;
		struct sockaddr_in a = { .sin_family = AF_INET,
			                 .sin_port = htons((uint16_t)p) };
		int fd = tcp_socket(), ok;
		/* A port whose two bytes are equal is the same without
		 * htons(): that bug would go unseen there. */
		if (p == skip || (p & 0xff) == p >> 8) {
			close(fd);
			continue;
		}
		ok = bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0;
		close(fd);
		if (ok)
			return p;
	}
	die("no free port in %d-%d", plan.first_port, plan.last_port);
	return -1;
}

/* Sockets in LISTEN state held by our uid (the programs'), from
 * /proc/net/tcp and tcp6: *ours tells whether one is on our port, and the
 * return value is another port one listens on (0: none). In the basic
 * tier the loopback is shared, so only a listener of ours on our port
 * proves that our server is the one answering there. */
static int listeners(bool *ours)
{
	static const char *const files[] = { "/proc/net/tcp",
		                             "/proc/net/tcp6" };
	int found = 0;

	*ours = false;
	for (size_t i = 0; i < 2; i++) {
		FILE *f = fopen(files[i], "re");
		char line[512];
		while (f && fgets(line, sizeof(line), f)) {
			unsigned lport, st;
			unsigned long uid;
			if (sscanf(line,
			           " %*d: %*x:%x %*x:%*x %x %*x:%*x %*x:%*x "
			           "%*x %lu",
			           &lport, &st, &uid) != 3 ||
			    st != 0x0a || uid != getuid())
				continue;
			if ((int)lport == port)
				*ours = true;
			else
				found = (int)lport;
		}
		if (f)
			fclose(f);
	}
	return found;
}

int connect_to(int p)
{
	struct sockaddr_in a = addr_of(p);
	int fd = tcp_socket();

	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Readiness: until a listener of ours holds the port and connect()
 * succeeds, retried every 5 ms for at most 3 s. */
void start_server(void)
{
	char arg[16];
	const char *argv[] = { "server", arg, NULL };
	double start, seen_elsewhere = -1;

	port = free_port(0);
	snprintf(arg, sizeof(arg), "%d", port);
	server = spawn(plan.server_fd, argv, -1, -1, -1);
	start = now_ms();
	for (;;) {
		int fd, other;
		bool ours;
		require_server("before it accepted a connection");
		other = listeners(&ours);
		if (ours && (fd = connect_to(port)) >= 0) {
			/* Hang up only once the connection is being served
			 * and the server sleeps again (in accept(), say):
			 * what serves it ends then, as after a client's
			 * visit, and its SIGCHLD (if a forked child serves
			 * it) finds the server in that call, every run. */
			for (int k = 0; k < 200 && !(serving_process(fd) &&
			                             server_waiting());
			     k++)
				usleep(5000);
			close(fd);
			return;
		}
		if (other && seen_elsewhere < 0)
			seen_elsewhere = now_ms();
		if (other && now_ms() - seen_elsewhere > 300) {
			uint16_t sw = htons((uint16_t)port);
			verdict("failed",
			        "%s listens on port %d, not on port %d as "
			        "asked%s",
			        who_server(), other, port,
			        other == sw ? " (the port's bytes are swapped: "
			                      "htons() is missing)"
			                    : "");
		}
		if (now_ms() - start > 3000)
			verdict("failed",
			        "%s did not accept connections on port %d "
			        "within 3 s of its start (connect was retried "
			        "every 5 ms)",
			        who_server(), port);
		usleep(5000);
	}
}

/* ---- looking at the server's processes ---- */

/* What the kernel says, through the keeper: a server that makes itself
 * unreadable (non-dumpable) or hides behind a thread cannot hide. */
bool server_waiting(void)
{
	struct wproc w;

	if (witness_proc(server, &w) || w.state != 'S')
		return false;
	for (int i = 0; i < w.ntasks; i++)
		if (w.tasks[i].tid == server)
			return w.tasks[i].syscall >= 0;
	/* The main thread exited (pthread_exit): any sleeping thread. */
	return w.ntasks > 0 && w.tasks[0].syscall >= 0;
}

bool server_blocked_writing(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	bool found = false;

	while (!found && d && (e = readdir(d))) {
		struct wproc w;
		int pid = atoi(e->d_name);
		if (pid <= 0 || pid == getpid() || witness_proc(pid, &w))
			continue;
		for (int i = 0; i < w.ntasks && !found; i++) {
			long nr = w.tasks[i].syscall;
			found = w.tasks[i].state == 'S' &&
			        (nr == SYS_write || nr == SYS_writev ||
			         nr == SYS_sendto || nr == SYS_sendmsg);
		}
	}
	if (d)
		closedir(d);
	return found;
}

bool programs_asleep(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	bool asleep = d != NULL;

	while (asleep && (e = readdir(d))) {
		struct wproc w;
		int pid = atoi(e->d_name);
		if (pid <= 0 || pid == getpid() || witness_proc(pid, &w) ||
		    w.state == 'Z')
			continue;
		for (int i = 0; i < w.ntasks; i++)
			asleep &= w.tasks[i].state == 'S';
	}
	if (d)
		closedir(d);
	return asleep;
}

/* The inode of the socket on the server's side of our connection fd:
 * /proc/net/tcp's line whose local end is the far end of ours. */
static unsigned long server_socket_inode(int fd)
{
	static const char *const files[] = { "/proc/net/tcp",
		                             "/proc/net/tcp6" };
	struct sockaddr_in me;
	socklen_t len = sizeof(me);
	unsigned long found = 0;

	if (getsockname(fd, (struct sockaddr *)&me, &len) < 0)
		return 0;
	for (size_t i = 0; i < 2 && !found; i++) {
		FILE *f = fopen(files[i], "re");
		char line[512];
		while (f && !found && fgets(line, sizeof(line), f)) {
			unsigned lport, rport;
			unsigned long inode;
			if (sscanf(line,
			           " %*d: %*x:%x %*x:%x %*x %*x:%*x %*x:%*x "
			           "%*x %*u %*d %lu",
			           &lport, &rport, &inode) == 3 &&
			    (int)lport == port && rport == ntohs(me.sin_port) &&
			    inode)
				found = inode;
		}
		if (f)
			fclose(f);
	}
	return found;
}

pid_t serving_process(int fd)
{
	unsigned long ino = server_socket_inode(fd);
	DIR *d = opendir("/proc");
	struct dirent *e;
	pid_t who = 0;

	while (ino && !who && d && (e = readdir(d))) {
		struct wfd fds[256];
		int pid = atoi(e->d_name), n;
		if (pid <= 0 || pid == getpid() ||
		    witness_fds(pid, fds, 256, &n))
			continue;
		for (int i = 0; i < n && i < 256; i++)
			if (!strcmp(fds[i].kind, "socket") && fds[i].ino == ino)
				who = pid;
	}
	if (d)
		closedir(d);
	return who;
}

int ended_as(pid_t pid, double ms)
{
	double end = now_ms() + ms;
	struct wproc w;

	while (!witness_proc(pid, &w)) {
		if (w.state == 'Z')
			return w.exit_status;
		if (now_ms() >= end)
			return -1;
		usleep(2000);
	}
	return -1;
}

struct scan programs_scan(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	struct scan sc = { 0 };
	static struct wfd fds[1024];
	double cpu = 0;

	while (d && (e = readdir(d))) {
		struct wproc w;
		int pid = atoi(e->d_name), n;
		if (pid <= 0 || pid == getpid() || witness_proc(pid, &w))
			continue;
		/* the probe's own are its business, not the server's */
		if (w.state == 'Z' && w.ppid != getpid())
			sc.zombies++;
		if (w.state == 'Z' || witness_fds(pid, fds, 1024, &n))
			continue;
		sc.procs++;
		sc.fds += n; /* every kind, from a live thread */
		if (pid == server)
			sc.main_fds = n;
		for (int i = 0; i < n && i < 1024; i++)
			sc.sockets += !strcmp(fds[i].kind, "socket");
	}
	if (d)
		closedir(d);
	/* Every process the server ever had, reaped or not. */
	if (!witness_cpu("server", &cpu))
		sc.cpu = cpu;
	return sc;
}
