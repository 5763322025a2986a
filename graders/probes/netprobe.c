/*
 * netprobe - drives a TCP echo server (or client) inside the sandbox's own
 * network namespace: reads a plan on stdin (graders/echo.c writes it and
 * documents it), starts the programs, runs one check and reports the
 * verdict on stdout. It makes itself non-dumpable, so the programs it runs
 * (same uid) cannot reach its memory, descriptors or report.
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
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS 64
#define MIB       (1u << 20)

/* ---- the plan and the report ---- */

static struct {
	int server_fd, client_fd; /* O_PATH descriptors of the programs */
	char check[32];
	char server_who[16], client_who[16]; /* "student" / "reference" */
	long bytes, clients, conns, stall_ms;
	int first_port, last_port;
} plan = { -1, -1, "", "student", "student", 0, 0, 0, 0, 0, 0 };

static double t0;
static pid_t server = -1;
static int server_status;
static bool server_gone;
static int port;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6 - t0;
}

static void put(const char *s)
{
	size_t len = strlen(s);

	while (len) {
		ssize_t k = write(1, s, len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			_exit(101);
		s += k;
		len -= (size_t)k;
	}
}

static void putf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void putf(const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* one report line each: no newline may come from the text */
	for (char *p = line; *p; p++)
		if (*p == '\n' && p[1])
			*p = ' ';
	put(line);
}

static void stop_server(void)
{
	if (server > 0 && !server_gone) {
		kill(-server, SIGKILL);
		kill(server, SIGKILL);
		waitpid(server, &server_status, 0);
		server_gone = true;
	}
}

/* The verdict, then "end"; exits. */
static void verdict(const char *status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));

static void verdict(const char *status, const char *fmt, ...)
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
	put("end\n");
	exit(0);
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("netprobe: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(100);
}

static int remove_one(const char *path, const struct stat *st, int type,
                      struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

static void read_plan(void)
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
		} else if (sscanf(line, "hide %255s", b) == 1) {
			/* The programs are open: remove the copies so nothing
			 * the run starts can read or replace them. */
			nftw(b, remove_one, 16, FTW_DEPTH | FTW_PHYS);
		} else if (sscanf(line, "check %31s", plan.check) == 1) {
		} else if (sscanf(line, "who %63s %15s", a, b) == 2) {
			snprintf(!strcmp(a, "server") ? plan.server_who
			                              : plan.client_who,
			         16, "%s", b);
		} else if (sscanf(line, "set %63s %ld", a, &v) == 2) {
			if (!strcmp(a, "bytes"))
				plan.bytes = v;
			else if (!strcmp(a, "clients"))
				plan.clients = v;
			else if (!strcmp(a, "conns"))
				plan.conns = v;
			else if (!strcmp(a, "stall_ms"))
				plan.stall_ms = v;
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

/* Deterministic bytes: short text lines, or binary with many NULs. */
static unsigned char *make_data(size_t len, uint64_t seed, bool binary)
{
	static const char words[] = "echo socket accept connect poll read "
	                            "write shutdown listen bind fork thread ";
	unsigned char *buf = malloc(len ? len : 1);
	uint64_t x = 0x9e3779b97f4a7c15ULL ^ (seed * 0x100000001b3ULL);

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

static const char *who_server(void)
{
	return !strcmp(plan.server_who, "student") ? "the server"
	                                           : "the reference server";
}

static const char *who_client(void)
{
	return !strcmp(plan.client_who, "student") ? "the client"
	                                           : "the reference client";
}

/* How a process ended, as words: "exited with status 1". */
static void describe_end(int st, char *out, size_t n)
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
static const char *signal_hint(int st)
{
	if (WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE)
		return ": it wrote to a connection the client had reset, and "
		       "SIGPIPE's default action ends the process (ignore it "
		       "with signal(SIGPIPE, SIG_IGN), or send with "
		       "MSG_NOSIGNAL)";
	return "";
}

static bool server_alive(void)
{
	if (server_gone)
		return false;
	if (waitpid(server, &server_status, WNOHANG) == server)
		server_gone = true;
	return !server_gone;
}

/* Fails the check when the server has ended. */
static void require_server(const char *when)
{
	char how[300];

	if (server_alive())
		return;
	describe_end(server_status, how, sizeof(how));
	verdict("failed", "%s %s %s%s", who_server(), how, when,
	        signal_hint(server_status));
}

static pid_t spawn(int exe, const char *const *argv, int in, int out, int err)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);
		sigset_t none;
		setpgid(0, 0);
		signal(SIGPIPE, SIG_DFL);
		signal(SIGCHLD, SIG_DFL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		if (dup2(in >= 0 ? in : null, 0) < 0 ||
		    dup2(out >= 0 ? out : 2, 1) < 0 ||
		    dup2(err >= 0 ? err : 2, 2) < 0)
			_exit(127);
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
static int free_port(int skip)
{
	int n = plan.last_port - plan.first_port + 1;
	for (int i = 0; i < n; i++) {
		int p = plan.first_port + i;
		struct sockaddr_in a = { .sin_family = AF_INET,
			                 .sin_port = htons((uint16_t)p) };
		int fd = tcp_socket(), ok;
		if (p == skip) {
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

/* Ports in LISTEN state held by our uid (the programs'), from
 * /proc/net/tcp: how a server listening elsewhere is recognised. */
static int listening_elsewhere(void)
{
	FILE *f = fopen("/proc/net/tcp", "re");
	char line[512];
	int found = 0;

	while (f && fgets(line, sizeof(line), f)) {
		unsigned lport, st;
		unsigned long uid;
		if (sscanf(line,
		           " %*d: %*x:%x %*x:%*x %x %*x:%*x %*x:%*x %*x %lu",
		           &lport, &st, &uid) == 3 &&
		    st == 0x0a && uid == getuid() && (int)lport != port)
			found = (int)lport;
	}
	if (f)
		fclose(f);
	return found;
}

static int connect_to(int p)
{
	struct sockaddr_in a = addr_of(p);
	int fd = tcp_socket();

	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Readiness: retry connect until the port accepts, for at most 3 s. */
static void start_server(void)
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
		require_server("before it accepted a connection");
		if ((fd = connect_to(port)) >= 0) {
			close(fd);
			return;
		}
		other = listening_elsewhere();
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

/* ---- connections driven by the probe ---- */

struct conn {
	int fd;
	const unsigned char *out; /* what to send; the echo must equal it */
	size_t len, sent, got;
	size_t window;   /* most bytes sent and not yet echoed; 0: any */
	long every_ms;   /* send one byte per every_ms (0: at once) */
	double next;     /* when the next paced byte may go */
	bool reading;    /* read now (false: leave the echo in the kernel) */
	bool shut_after; /* shutdown(SHUT_WR) once all is sent */
	bool shut, eof, bad;
	size_t bad_at;
	unsigned char saw;
	int err; /* errno of a failed read or write */
	double done_at;
};

static void conn_open(struct conn *c, const unsigned char *out, size_t len)
{
	memset(c, 0, sizeof(*c));
	c->fd = connect_to(port);
	if (c->fd < 0) {
		int e = errno;
		require_server("while clients connected");
		verdict("failed", "connecting to %s failed: %s", who_server(),
		        strerror(e));
	}
	fcntl(c->fd, F_SETFL, O_NONBLOCK);
	c->out = out;
	c->len = len;
	c->reading = true;
	c->shut_after = true;
	c->done_at = -1;
}

static void conn_close(struct conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

/* Everything echoed (and, after a shutdown, the server's close seen). */
static bool conn_done(const struct conn *c)
{
	return c->bad || c->err || c->eof ||
	       (c->got == c->len && !c->shut_after);
}

/* Done, and as it should be: every byte echoed, and closed if shut. */
static bool conn_ok(const struct conn *c)
{
	return !c->bad && !c->err && c->got == c->len &&
	       (!c->shut_after || c->eof);
}

static bool may_send(const struct conn *c, double now, double *wake)
{
	if (c->sent == c->len || c->err)
		return false;
	if (c->window && c->sent - c->got >= c->window)
		return false;
	if (c->every_ms && now < c->next) {
		if (c->next < *wake)
			*wake = c->next;
		return false;
	}
	return true;
}

static void conn_send(struct conn *c, double now)
{
	size_t n = c->len - c->sent;
	ssize_t k;

	if (c->window && n > c->window - (c->sent - c->got))
		n = c->window - (c->sent - c->got);
	if (c->every_ms)
		n = 1;
	k = send(c->fd, c->out + c->sent, n, MSG_NOSIGNAL);
	if (k < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (k < 0) {
		c->err = errno;
		return;
	}
	c->sent += (size_t)k;
	if (c->every_ms)
		c->next = now + (double)c->every_ms;
}

static void conn_recv(struct conn *c, double now)
{
	unsigned char buf[65536];
	ssize_t k = recv(c->fd, buf, sizeof(buf), 0);

	if (k < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (k < 0) {
		c->err = errno;
		return;
	}
	if (k == 0) {
		c->eof = true;
		return;
	}
	for (ssize_t i = 0; i < k && !c->bad; i++) {
		if (c->got + (size_t)i >= c->sent ||
		    buf[i] != c->out[c->got + (size_t)i]) {
			c->bad = true;
			c->bad_at = c->got + (size_t)i;
			c->saw = buf[i];
		}
	}
	if (!c->bad)
		c->got += (size_t)k;
	if (conn_done(c) && c->done_at < 0)
		c->done_at = now;
}

/* Move data on every connection until each is done or the deadline
 * (ms from now) passes; `until`, if set, may end it earlier. Returns
 * whether every connection is done and ok. */
static bool pump(struct conn *cs, int n, double ms, bool (*until)(void))
{
	double end = now_ms() + ms;

	for (;;) {
		struct pollfd pf[MAX_CONNS];
		double now = now_ms(), wake = end;
		bool all = true;
		int timeout;

		for (int i = 0; i < n; i++) {
			struct conn *c = &cs[i];
			if (c->fd >= 0 && c->sent == c->len && c->shut_after &&
			    !c->shut && !c->err) {
				shutdown(c->fd, SHUT_WR);
				c->shut = true;
			}
			pf[i].fd = c->fd;
			pf[i].events = 0;
			pf[i].revents = 0;
			if (c->fd < 0 || conn_done(c))
				continue;
			all = false;
			if (may_send(c, now, &wake))
				pf[i].events |= POLLOUT;
			if (c->reading && !c->eof)
				pf[i].events |= POLLIN;
		}
		if (all || now >= end || (until && until())) {
			for (int i = 0; i < n && all; i++)
				all = cs[i].fd < 0 || conn_ok(&cs[i]);
			return all;
		}
		if (wake > now + 50)
			wake = now + 50; /* look at the server now and then */
		timeout = (int)(wake - now) + 1;
		if (poll(pf, (nfds_t)n, timeout) < 0 && errno != EINTR)
			die("poll: %s", strerror(errno));
		now = now_ms();
		for (int i = 0; i < n; i++) {
			if (pf[i].revents & (POLLIN | POLLERR | POLLHUP) &&
			    cs[i].reading)
				conn_recv(&cs[i], now);
			if (pf[i].revents & POLLOUT)
				conn_send(&cs[i], now);
			if (pf[i].revents & POLLERR && !cs[i].reading) {
				int e = 0;
				socklen_t l = sizeof(e);
				getsockopt(cs[i].fd, SOL_SOCKET, SO_ERROR, &e,
				           &l);
				if (e)
					cs[i].err = e;
			}
		}
	}
}

/* Why a connection is not done, as a sentence; `what` names it. */
static void explain_conn(const struct conn *c, const char *what, double ms,
                         char *out, size_t n)
{
	if (c->bad && c->bad_at < c->len && c->out[c->bad_at] == 0)
		snprintf(out, n,
		         "%s: the echo differs at byte %zu, where a NUL byte "
		         "was sent and 0x%02x came back: the server treats "
		         "the data as a C string (strlen, printf) and drops "
		         "from the NUL on",
		         what, c->bad_at, c->saw);
	else if (c->bad && c->bad_at >= c->sent)
		snprintf(out, n,
		         "%s: more bytes came back than were sent (%zu sent)",
		         what, c->sent);
	else if (c->bad)
		snprintf(out, n,
		         "%s: the echo differs from what was sent at byte %zu "
		         "of %zu (sent 0x%02x, got 0x%02x): bytes were lost, "
		         "repeated or reordered",
		         what, c->bad_at, c->len, c->out[c->bad_at], c->saw);
	else if (c->err)
		snprintf(out, n, "%s: the connection failed: %s", what,
		         strerror(c->err));
	else if (c->eof && c->got < c->len)
		snprintf(out, n,
		         "%s: the server closed the connection after echoing "
		         "%zu of %zu bytes",
		         what, c->got, c->len);
	else if (c->got < c->len)
		snprintf(out, n,
		         "%s: only %zu of %zu bytes came back within %.1f s",
		         what, c->got, c->len, ms / 1000);
	else
		snprintf(out, n,
		         "%s: every byte came back, but the server did not "
		         "close the connection within %.1f s of the client's "
		         "shutdown(SHUT_WR)",
		         what, ms / 1000);
}

static void fail_conn(const struct conn *c, const char *what, double ms)
{
	char why[600];

	require_server("during the check");
	explain_conn(c, what, ms, why, sizeof(why));
	verdict("failed", "%s", why);
}

/* ---- looking at the server's processes ---- */

struct procstat {
	int pid, ppid;
	char state;
	unsigned long cpu_ticks;
};

static bool read_stat(int pid, struct procstat *ps)
{
	char path[64], buf[1024], *p;
	unsigned long ut, st;
	int fd, n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return false;
	n = (int)read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	if (!(p = strrchr(buf, ')')) ||
	    sscanf(p + 2, "%c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
	           &ps->state, &ps->ppid, &ut, &st) != 4)
		return false;
	ps->pid = pid;
	ps->cpu_ticks = ut + st;
	return true;
}

static int count_fds(pid_t pid)
{
	char path[64];
	DIR *d;
	struct dirent *e;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	if (!(d = opendir(path)))
		return 0;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* The programs: every process of ours but the probe (the server and
 * whatever it started). */
struct scan {
	double cpu;  /* seconds, user + system */
	int fds;     /* open descriptors of the live ones, summed */
	int zombies; /* ended and not reaped by their parent */
};

static struct scan programs_scan(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	unsigned long ticks = 0;
	struct scan sc = { 0, 0, 0 };

	while (d && (e = readdir(d))) {
		struct procstat ps;
		struct stat st;
		char path[300];
		int pid = atoi(e->d_name);
		if (pid <= 0 || pid == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%d", pid);
		if (stat(path, &st) < 0 || st.st_uid != getuid() ||
		    !read_stat(pid, &ps))
			continue;
		ticks += ps.cpu_ticks;
		/* the probe's own are its business, not the server's */
		if (ps.state == 'Z' && ps.ppid != getpid())
			sc.zombies++;
		else if (ps.state != 'Z')
			sc.fds += count_fds(pid);
	}
	if (d)
		closedir(d);
	sc.cpu = (double)ticks / (double)sysconf(_SC_CLK_TCK);
	return sc;
}

/* ---- the checks ---- */

static void check_ready(void)
{
	start_server();
	verdict("passed", "");
}

/* One connection, echoed whole, then closed by the server. */
static void one_conn(const unsigned char *data, size_t len, size_t window,
                     double ms, const char *what)
{
	struct conn c;

	conn_open(&c, data, len);
	c.window = window;
	if (!pump(&c, 1, ms, NULL))
		fail_conn(&c, what, ms);
	conn_close(&c);
}

static void check_bulk(void)
{
	size_t len = plan.bytes ? (size_t)plan.bytes : MIB;
	unsigned char *data = make_data(len, 3, false);

	start_server();
	/* At most 16 KiB in flight: the server's writes never block here
	 * (that is the flow check's business). */
	one_conn(data, len, 16384, 10000, "one connection");
	require_server("after the transfer");
	verdict("passed", "");
}

/* NULs, bytes without a newline at the end, a 20 KiB line: all echoed
 * before the client says it is done. */
static void check_binary(void)
{
	size_t len = 4096 + 20480 + 13, at = 0;
	unsigned char *data = malloc(len), *bin = make_data(4096, 4, true);
	struct conn c;

	if (!data)
		die("out of memory");
	memcpy(data, bin, 4096);
	data[4095] = '\n';
	at = 4096;
	for (size_t i = 0; i < 20480; i++)
		data[at++] = (unsigned char)('a' + i % 26);
	data[at++] = '\n';
	memcpy(data + at, "no newline\0!", 12);
	start_server();
	conn_open(&c, data, len);
	c.shut_after = false;
	if (!pump(&c, 1, 2000, NULL)) {
		if (!c.bad && !c.err && !c.eof && c.got >= 4096 + 20481)
			verdict("failed",
			        "the last 12 bytes (no newline after them) "
			        "did not come back within 2 s while the client "
			        "kept the connection open: the server waits "
			        "for a newline before it echoes");
		fail_conn(&c,
		          "binary data, then a 20 KiB line, then 12 bytes "
		          "without a newline",
		          2000);
	}
	c.shut_after = true;
	if (!pump(&c, 1, 2000, NULL))
		fail_conn(&c, "after the client's shutdown", 2000);
	verdict("passed", "");
}

static void check_second(void)
{
	static const unsigned char a[] = "first client\n", b[] = "second\n";
	struct conn c[2];

	start_server();
	conn_open(&c[0], a, sizeof(a) - 1);
	c[0].shut_after = false;
	if (!pump(&c[0], 1, 2000, NULL))
		fail_conn(&c[0], "the first client", 2000);
	conn_open(&c[1], b, sizeof(b) - 1);
	c[1].shut_after = false;
	if (pump(&c[1], 1, 2000, NULL))
		verdict("passed", "");
	require_server("while two clients were connected");
	conn_close(&c[0]);
	if (pump(&c[1], 1, 2000, NULL))
		verdict("failed",
		        "a second client got no echo for 2 s while the first "
		        "stayed connected and idle; once the first closed, the "
		        "second was served: the server serves one client at a "
		        "time");
	fail_conn(&c[1], "the second client", 4000);
}

static void check_many(void)
{
	int n = plan.clients ? (int)plan.clients : 50;
	size_t len = plan.bytes ? (size_t)plan.bytes : 65536;
	static struct conn cs[MAX_CONNS];
	unsigned char *data[MAX_CONNS];

	if (n > MAX_CONNS)
		n = MAX_CONNS;
	start_server();
	for (int i = 0; i < n; i++) {
		data[i] = make_data(len, 100 + (uint64_t)i, false);
		conn_open(&cs[i], data[i], len);
		cs[i].window = 16384;
	}
	if (!pump(cs, n, 15000, NULL)) {
		int bad = 0, first = -1;
		char what[64];
		for (int i = 0; i < n; i++)
			if (!conn_ok(&cs[i])) {
				bad++;
				if (first < 0)
					first = i;
			}
		snprintf(what, sizeof(what),
		         "%d of %d clients failed; client %d", bad, n,
		         first + 1);
		fail_conn(&cs[first], what, 15000);
	}
	verdict("passed", "");
}

static struct conn *slow_conn;

static bool slow_done(void)
{
	return slow_conn->sent == slow_conn->len;
}

static void check_slow(void)
{
	size_t fast_len = plan.bytes ? (size_t)plan.bytes : 65536;
	unsigned char *slow = make_data(300, 7, false);
	unsigned char *fast = make_data(fast_len, 8, false);
	struct conn c[2];

	start_server();
	conn_open(&c[0], slow, 300);
	c[0].every_ms = 10;
	/* The slow client is under way before the fast one connects. */
	pump(&c[0], 1, 100, NULL);
	conn_open(&c[1], fast, fast_len);
	c[1].window = 16384;
	slow_conn = &c[0];
	pump(c, 2, 10000, slow_done);
	if (!conn_ok(&c[1])) {
		if (conn_done(&c[1]))
			fail_conn(&c[1], "the fast client", 3000);
		verdict("failed",
		        "a fast client got %zu of its %zu bytes back while a "
		        "slow client sent one byte every 10 ms for 3 s: the "
		        "fast one waited for the slow one",
		        c[1].got, fast_len);
	}
	if (!pump(c, 2, 3000, NULL))
		fail_conn(&c[0], "the slow client", 3000);
	verdict("passed", "");
}

static void check_reset(void)
{
	size_t len = 4 * MIB;
	unsigned char *data = make_data(len, 9, false);
	static const unsigned char ping[] = "still there?\n";

	start_server();
	for (int round = 0; round < 3; round++) {
		struct conn c;
		struct linger lg = { 1, 0 };
		size_t last = 0;
		double still = now_ms();
		/* Send without reading until the server stops taking data
		 * (its writes block on our full buffer), then reset. */
		conn_open(&c, data, len);
		c.reading = false;
		c.shut_after = false;
		while (c.sent < len && now_ms() - still < 200 && !c.err) {
			pump(&c, 1, 20, NULL);
			if (c.sent != last) {
				last = c.sent;
				still = now_ms();
			}
		}
		setsockopt(c.fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		conn_close(&c);
		/* Let the server meet the reset before the next client. */
		usleep(100000);
		require_server("after a client reset its connection "
		               "(SO_LINGER 0) in the middle of a transfer");
		conn_open(&c, ping, sizeof(ping) - 1);
		if (!pump(&c, 1, 2000, NULL)) {
			require_server("after a client reset its connection");
			fail_conn(&c,
			          "a new client after another one reset its "
			          "connection",
			          2000);
		}
		conn_close(&c);
	}
	/* A server killed by the last reset is seen here at the latest. */
	usleep(100000);
	require_server("after clients reset their connections (SO_LINGER 0) "
	               "in the middle of transfers");
	verdict("passed", "");
}

static struct conn *shut_conn;

static bool shut_done(void)
{
	return shut_conn->shut || shut_conn->err;
}

static void check_halfclose(void)
{
	size_t len = plan.bytes ? (size_t)plan.bytes : 100000;
	unsigned char *data = make_data(len, 10, false);
	struct conn c;

	start_server();
	conn_open(&c, data, len);
	/* Everything is sent and the write side shut before reading. */
	c.reading = false;
	shut_conn = &c;
	pump(&c, 1, 2000, shut_done);
	if (!c.shut)
		fail_conn(&c, "sending before the shutdown", 2000);
	c.reading = true;
	if (!pump(&c, 1, 2000, NULL))
		fail_conn(&c, "after the client's shutdown(SHUT_WR)", 2000);
	verdict("passed", "");
}

static double stall_end;

static bool stall_over(void)
{
	return now_ms() >= stall_end;
}

static void check_flow(void)
{
	size_t len = plan.bytes ? (size_t)plan.bytes : 8 * MIB;
	long stall = plan.stall_ms ? plan.stall_ms : 1000;
	unsigned char *data = make_data(len, 11, false);
	double cpu0, cpu1, t1, t2;
	struct conn c;

	start_server();
	conn_open(&c, data, len);
	c.reading = false;
	stall_end = now_ms() + (double)stall;
	/* The first 200 ms fill the buffers; the rest of the stall is
	 * measured: a server blocked on a full socket must sleep. */
	pump(&c, 1, 200, NULL);
	cpu0 = programs_scan().cpu;
	t1 = now_ms();
	pump(&c, 1, (double)stall, stall_over);
	cpu1 = programs_scan().cpu;
	t2 = now_ms();
	require_server("while the client was not reading");
	c.reading = true;
	if (!pump(&c, 1, 20000, NULL) && !c.err &&
	    ((c.eof && c.got < c.len) || c.bad))
		verdict("failed",
		        "a client that did not read for the first second got "
		        "%zu of %zu bytes back as sent%s: the rest was dropped "
		        "or reordered. A write that would block must keep its "
		        "data and finish once poll() says the socket is "
		        "writable",
		        c.bad ? c.bad_at : c.got, c.len,
		        c.bad ? ", then different bytes"
		              : ", then the server closed the connection");
	if (!conn_ok(&c))
		fail_conn(&c,
		          "a client that stopped reading for the first "
		          "second",
		          20000);
	/* Generous: a server asleep in poll() or write() uses nothing. */
	if (cpu1 - cpu0 > 0.25 * (t2 - t1) / 1000)
		verdict("failed",
		        "the server used %.2f s of CPU in the %.2f s the "
		        "client was not reading: it spins (retries a write "
		        "that would block) instead of sleeping until the "
		        "socket is writable",
		        cpu1 - cpu0, (t2 - t1) / 1000);
	verdict("passed", "");
}

static void check_fdleak(void)
{
	int n = plan.conns ? (int)plan.conns : 200, first = -1, last = -1;
	int zombies = 0;
	static const unsigned char msg[] = "one of many\n";

	start_server();
	for (int i = 0; i < n; i++) {
		struct conn c;
		char what[64];
		conn_open(&c, msg, sizeof(msg) - 1);
		snprintf(what, sizeof(what), "connection %d of %d", i + 1, n);
		if (!pump(&c, 1, 2000, NULL))
			fail_conn(&c, what, 2000);
		conn_close(&c);
		if (i == 0) {
			/* settled: the same count twice, 20 ms apart */
			for (int k = 0, prev = -2; k < 25; k++) {
				first = programs_scan().fds;
				if (first == prev)
					break;
				prev = first;
				usleep(20000);
			}
		}
	}
	for (int k = 0; k < 50; k++) {
		struct scan sc = programs_scan();
		last = sc.fds;
		zombies = sc.zombies;
		if (last <= first && zombies <= 2)
			break;
		usleep(20000);
	}
	require_server("after many connections");
	if (last > first + 5)
		verdict("failed",
		        "the server (with every process it started) holds %d "
		        "open descriptors after %d connections, %d after the "
		        "first: it does not close each connection's socket",
		        last, n, first);
	if (zombies > 2)
		verdict("failed",
		        "%d children of the server are zombies after %d "
		        "connections: it never waits for its forked children "
		        "(reap them with waitpid(-1, NULL, WNOHANG) in a "
		        "SIGCHLD handler, or ignore SIGCHLD)",
		        zombies, n);
	verdict("passed", "");
}

static void check_sigterm(void)
{
	static const unsigned char msg[] = "bye\n";
	char how[300];

	start_server();
	one_conn(msg, sizeof(msg) - 1, 0, 2000, "a client");
	kill(server, SIGTERM);
	for (double end = now_ms() + 1000; now_ms() < end;) {
		if (!server_alive())
			break;
		usleep(2000);
	}
	if (!server_gone)
		verdict("failed",
		        "the server still runs 1 s after SIGTERM (a handler "
		        "that only sets a flag, while accept() is restarted "
		        "by SA_RESTART, never gets to look at it)");
	if (WIFEXITED(server_status) && WEXITSTATUS(server_status) == 0)
		verdict("passed", "");
	describe_end(server_status, how, sizeof(how));
	verdict("failed",
	        "on SIGTERM the server %s; it must close its sockets and exit "
	        "with status 0%s",
	        how,
	        WIFSIGNALED(server_status) && WTERMSIG(server_status) == SIGTERM
	            ? " (install a SIGTERM handler)"
	            : "");
}

/* Run the client with `in` on stdin against port p; compare its stdout
 * with `in` as it arrives. A client stuck with nothing moving for 2 s is
 * deadlocked. */
static void check_stdio(void)
{
	size_t len = plan.bytes ? (size_t)plan.bytes : 1000;
	unsigned char *in = make_data(len, 13, false), buf[65536];
	int inp[2], outp[2];
	char arg[16], how[300];
	const char *argv[] = { "client", "127.0.0.1", arg, NULL };
	size_t fed = 0, got = 0, bad_at = 0;
	bool bad = false, exited = false;
	double last_move, start;
	int st = 0;
	pid_t pid;

	start_server();
	snprintf(arg, sizeof(arg), "%d", port);
	if (pipe2(inp, O_CLOEXEC) < 0 || pipe2(outp, O_CLOEXEC) < 0)
		die("pipe: %s", strerror(errno));
	pid = spawn(plan.client_fd, argv, inp[0], outp[1], -1);
	close(inp[0]);
	close(outp[1]);
	fcntl(inp[1], F_SETFL, O_NONBLOCK);
	fcntl(outp[0], F_SETFL, O_NONBLOCK);
	start = last_move = now_ms();
	while (!exited || outp[0] >= 0) {
		struct pollfd pf[2] = { { inp[1], POLLOUT, 0 },
			                { outp[0], POLLIN, 0 } };
		ssize_t k;
		if (!exited && waitpid(pid, &st, WNOHANG) == pid)
			exited = true;
		if (now_ms() - last_move > 2000 && !exited &&
		    strcmp(plan.client_who, "student")) {
			kill(-pid, SIGKILL);
			require_server("while the client ran");
			verdict("failed",
			        "the reference client got %zu of %zu bytes "
			        "back, and nothing moved for 2 s: the server "
			        "stopped echoing",
			        got, len);
		}
		if (now_ms() - last_move > 2000 && !exited) {
			kill(-pid, SIGKILL);
			require_server("while the client ran");
			verdict(
			    "failed",
			    "%s is stuck: it took %zu of %zu bytes of its "
			    "input and wrote %zu to its output, and nothing "
			    "moved for 2 s. A client that writes everything "
			    "before it reads deadlocks: the server blocks "
			    "writing the echo nobody reads, and stops "
			    "reading",
			    who_client(), fed, len, got);
		}
		if (now_ms() - start > 20000 ||
		    (exited && now_ms() - last_move > 2000))
			break;
		poll(pf, 2, 20);
		if (inp[1] >= 0 && fed < len) {
			k = write(inp[1], in + fed, len - fed);
			if (k > 0) {
				fed += (size_t)k;
				last_move = now_ms();
			} else if (k < 0 && errno == EPIPE) {
				fed = len;
			}
		}
		if (inp[1] >= 0 && fed == len) {
			close(inp[1]);
			inp[1] = -1;
		}
		while (outp[0] >= 0 &&
		       (k = read(outp[0], buf, sizeof(buf))) >= 0) {
			if (k == 0) {
				close(outp[0]);
				outp[0] = -1;
				break;
			}
			for (ssize_t i = 0; i < k && !bad; i++)
				if (got + (size_t)i >= len ||
				    buf[i] != in[got + (size_t)i]) {
					bad = true;
					bad_at = got + (size_t)i;
				}
			got += (size_t)k;
			last_move = now_ms();
		}
	}
	if (!exited) {
		kill(-pid, SIGKILL);
		waitpid(pid, &st, 0);
		verdict("timeout", "%s did not finish within 20 s",
		        who_client());
	}
	require_server("while the client ran");
	if (bad)
		verdict("failed",
		        "%s's output differs from its input at byte %zu of %zu",
		        who_client(), bad_at, len);
	if (got < len)
		verdict("failed",
		        "%s wrote %zu of the %zu bytes of its input back%s",
		        who_client(), got, len,
		        WIFEXITED(st) && !WEXITSTATUS(st)
		            ? ": it exited before the server closed the "
		              "connection"
		            : "");
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		describe_end(st, how, sizeof(how));
		verdict("failed", "%s %s after a correct echo", who_client(),
		        how);
	}
	verdict("passed", "");
}

static void check_refused(void)
{
	char arg[16], how[300], errbuf[256];
	const char *argv[] = { "client", "127.0.0.1", arg, NULL };
	int inp[2], errp[2], st;
	size_t elen = 0;
	pid_t pid;
	double end;

	port = free_port(0);
	snprintf(arg, sizeof(arg), "%d", port);
	if (pipe2(inp, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0)
		die("pipe: %s", strerror(errno));
	if (write(inp[1], "hello\n", 6) != 6)
		die("write: %s", strerror(errno));
	close(inp[1]);
	pid = spawn(plan.client_fd, argv, inp[0], -1, errp[1]);
	close(inp[0]);
	close(errp[1]);
	fcntl(errp[0], F_SETFL, O_NONBLOCK);
	for (end = now_ms() + 3000;; usleep(5000)) {
		ssize_t k;
		while ((k = read(errp[0], errbuf + elen,
		                 sizeof(errbuf) - 1 - elen)) > 0)
			elen += (size_t)k;
		if (waitpid(pid, &st, WNOHANG) == pid)
			break;
		if (now_ms() > end) {
			kill(-pid, SIGKILL);
			waitpid(pid, &st, 0);
			verdict("failed",
			        "with nothing listening on port %d, the client "
			        "still runs after 3 s: a failed connect() must "
			        "end it",
			        port);
		}
	}
	while (elen < sizeof(errbuf) - 1) {
		ssize_t k =
		    read(errp[0], errbuf + elen, sizeof(errbuf) - 1 - elen);
		if (k <= 0)
			break;
		elen += (size_t)k;
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 1 && elen)
		verdict("passed", "");
	describe_end(st, how, sizeof(how));
	verdict("failed",
	        "with nothing listening on port %d, the client %s and wrote "
	        "%s to stderr; it must print a message on stderr and exit "
	        "with status 1",
	        port, how, elen ? "a message" : "nothing");
}

static const struct {
	const char *name;
	void (*run)(void);
} checks[] = {
	{ "ready", check_ready },         { "stdio", check_stdio },
	{ "bulk", check_bulk },           { "binary", check_binary },
	{ "second", check_second },       { "many", check_many },
	{ "slow", check_slow },           { "reset", check_reset },
	{ "halfclose", check_halfclose }, { "flow", check_flow },
	{ "fdleak", check_fdleak },       { "sigterm", check_sigterm },
	{ "refused", check_refused },
};

int main(void)
{
	struct timespec ts;

	/* Same uid as the programs: without this they could read its
	 * memory or take over its report through /proc. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	t0 = ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
	signal(SIGPIPE, SIG_IGN);
	/* Where memory is limited by address space (RLIMIT_AS, the basic
	 * tier), glibc's 64 MiB arena per thread would make a thread per
	 * client fail long before memory runs out. */
	setenv("MALLOC_ARENA_MAX", "2", 0);
	read_plan();
	for (size_t i = 0; i < sizeof(checks) / sizeof(*checks); i++)
		if (!strcmp(checks[i].name, plan.check)) {
			checks[i].run();
			die("check '%s' gave no verdict", plan.check);
		}
	die("no check '%s'", plan.check);
	return 100;
}
