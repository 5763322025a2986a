/*
 * netprobe - drives a TCP echo server (or client) in the run's network:
 * reads a plan on stdin (graders/echo.c writes it), runs one check (here)
 * with netprobe/ (plan, server, connections) and reports the verdict on
 * stdout. Non-dumpable: the programs (same uid) cannot reach its report.
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

#include "calls.h"
#include "netprobe/netprobe.h"
#include "witness.h"

/* ---- the checks ---- */

static void check_ready(void)
{
	start_server();
	passed();
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
	size_t len = drawn_size(plan.bytes ? (size_t)plan.bytes : MIB);
	unsigned char *data = make_data(len, 3, false);

	start_server();
	/* At most 16 KiB in flight: the server's writes never block here
	 * (that is the flow check's business). */
	one_conn(data, len, 16384, 10000, "one connection");
	require_server("after the transfer");
	passed();
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
			        "everything up to the last newline came back, "
			        "but not the 12 bytes after it, within 2 s "
			        "while the client kept the connection open (a "
			        "server that echoes only whole lines does "
			        "this): echo whatever read() returns");
		fail_conn(&c,
		          "binary data, then a 20 KiB line, then 12 bytes "
		          "without a newline",
		          2000);
	}
	c.shut_after = true;
	if (!pump(&c, 1, 2000, NULL))
		fail_conn(&c, "after the client's shutdown", 2000);
	passed();
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
		passed();
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
	passed();
}

static struct conn *slow_conn, *fast_conn;

/* The slow client has sent all, or the fast one has its echo: either way
 * the verdict on the fast one is known. */
static bool slow_done(void)
{
	return slow_conn->sent == slow_conn->len || conn_ok(fast_conn);
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
	fast_conn = &c[1];
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
	/* Served beside the slow one: that one need not go on for its 3 s;
	 * the echo of what it sent so far must still come. */
	if (c[0].sent < c[0].len)
		c[0].len = c[0].sent;
	if (!pump(c, 2, 3000, NULL))
		fail_conn(&c[0], "the slow client", 3000);
	passed();
}

static void check_reset(void)
{
	/* Enough to outgrow any socket buffers, in the basic tier too. */
	size_t len = 64 * MIB;
	unsigned char *data = make_data(len, 9, false);
	static const unsigned char ping[] = "still there?\n";

	start_server();
	for (int round = 0; round < 3; round++) {
		struct conn c;
		struct linger lg = { 1, 0 };
		size_t last = 0;
		double still = now_ms(), start = still;
		pid_t serving;
		bool forked;
		/* Send without reading until the server blocks writing the
		 * echo nobody reads (the kernel says so: a thread asleep in
		 * a write), or stops taking data; then reset. Readiness, not
		 * a guess: the reset then meets the write it is for. */
		conn_open(&c, data, len);
		c.reading = false;
		c.shut_after = false;
		while (c.sent < len && !c.err && now_ms() - start < 10000) {
			pump(&c, 1, 20, NULL);
			if (server_blocked_writing())
				break;
			if (c.sent != last) {
				last = c.sent;
				still = now_ms();
			}
			/* Nothing taken for a while: 150 ms with every
			 * program asleep (it waits for the socket to drain),
			 * 500 ms while one still runs. */
			if (now_ms() - still >= 500 ||
			    (now_ms() - still >= 150 && programs_asleep()))
				break;
		}
		/* Which process serves this client: the server itself (a
		 * thread, or one loop), or a child it forked. A child that
		 * dies of the reset is reaped by the server at once; stopped
		 * meanwhile, the server leaves it a zombie that says how it
		 * ended. */
		serving = serving_process(c.fd);
		forked = serving > 0 && serving != server;
		if (forked)
			kill(server, SIGSTOP);
		setsockopt(c.fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		conn_close(&c);
		/* Let the server meet the reset before the next client. */
		usleep(100000);
		if (forked) {
			int st = ended_as(serving, 500);
			kill(server, SIGCONT);
			if (st >= 0 && WIFSIGNALED(st) &&
			    WTERMSIG(st) == SIGPIPE)
				verdict(
				    "failed",
				    "the process serving a client that reset "
				    "its connection (pid %d, forked by %s) was "
				    "killed by SIGPIPE: it wrote to the reset "
				    "connection with SIGPIPE at its default "
				    "action (ignore it with signal(SIGPIPE, "
				    "SIG_IGN), or send with MSG_NOSIGNAL, then "
				    "close the connection on EPIPE)",
				    (int)serving, who_server());
		}
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
	passed();
}

static struct conn *shut_conn;

static bool shut_done(void)
{
	return shut_conn->shut || shut_conn->err;
}

static void check_halfclose(void)
{
	size_t len = drawn_size(plan.bytes ? (size_t)plan.bytes : 100000);
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
	passed();
}

static double stall_end;

static bool stall_over(void)
{
	return now_ms() >= stall_end;
}

static void check_flow(void)
{
	size_t len = drawn_size(plan.bytes ? (size_t)plan.bytes : 8 * MIB);
	long stall = plan.stall_ms ? plan.stall_ms : 1000;
	unsigned char *data = make_data(len, 11, false);
	double cpu0, cpu1, t1, t2;
	size_t gap;
	static struct cpu_snap before;
	char top[300];
	struct conn c;

	start_server();
	conn_open(&c, data, len);
	c.reading = false;
	stall_end = now_ms() + (double)stall;
	/* The first 200 ms fill the buffers; the rest of the stall is
	 * measured: a server blocked on a full socket must sleep. */
	pump(&c, 1, 200, NULL);
	cpu_snapshot(&before);
	cpu0 = programs_scan().cpu;
	t1 = now_ms();
	pump(&c, 1, (double)stall, stall_over);
	cpu1 = programs_scan().cpu;
	t2 = now_ms();
	if (!cpu_top(&before, top, sizeof(top)))
		top[0] = '\0';
	require_server("while the client was not reading");
	c.reading = true;
	if (!pump(&c, 1, 20000, NULL) && !c.err && c.bad &&
	    (gap = conn_dropped(&c)) > 0)
		verdict("failed",
		        "a client that did not read for the first second got "
		        "the echo right up to byte %zu, then from byte %zu of "
		        "what it sent: the server dropped the %zu bytes "
		        "between (keep what cannot be written at once, and "
		        "write it once poll() says the socket is writable)",
		        c.bad_at, c.bad_at + gap, gap);
	if (!c.err && c.eof && !c.bad && c.got < c.len)
		verdict("failed",
		        "a client that did not read for the first second got "
		        "the first %zu of the %zu bytes back, then the "
		        "connection was closed from the server's end: the "
		        "other %zu never came (a server that drops what it "
		        "cannot write at once does this: keep the data, and "
		        "write the rest once poll() says the socket is "
		        "writable)",
		        c.got, c.len, c.len - c.got);
	if (!c.err && c.bad)
		verdict("failed",
		        "a client that did not read for the first second got "
		        "%zu bytes back as sent, then different bytes (a "
		        "server that drops what it cannot write at once does "
		        "this: keep the data, and write the rest once poll() "
		        "says the socket is writable)",
		        c.bad_at);
	if (!conn_ok(&c))
		fail_conn(&c,
		          "a client that stopped reading for the first "
		          "second",
		          20000);
	/* Generous: a server asleep in poll() or write() uses nothing. */
	if (cpu1 - cpu0 > 0.25 * (t2 - t1) / 1000)
		verdict("failed",
		        "the server's processes used %.2f s of CPU in the "
		        "%.2f s the client was not reading, instead of "
		        "sleeping until the socket was writable (in poll(), "
		        "or in a blocking write())%s%s",
		        cpu1 - cpu0, (t2 - t1) / 1000,
		        top[0] ? "; the most went to " : "", top);
	passed();
}

/* The stalled client's sent count, for stalled(). */
static struct conn *staller;
static size_t staller_sent;
static int staller_still;

/* Readiness: the client that does not read can send nothing more (every
 * buffer on its way is full) for 5 polls in a row. */
static bool stalled(void)
{
	staller_still = staller->sent == staller_sent ? staller_still + 1 : 0;
	staller_sent = staller->sent;
	return staller_still >= 5;
}

/* One client stops reading its echo; another, connected before, and a
 * new one must still be served, and the first gets all of its echo once
 * it reads. */
static void check_stall(void)
{
	size_t len = drawn_size(plan.bytes ? (size_t)plan.bytes : 8 * MIB);
	unsigned char *data = make_data(len, 17, false);
	static const unsigned char b_msg[] = "served while another stalls\n";
	static const unsigned char c_msg[] = "a newcomer\n";
	static const unsigned char hi[] = "hello\n";
	struct conn a, b, c, b0;
	const char *blocked;

	start_server();
	/* B first: connected and served before A stalls. */
	conn_open(&b0, hi, sizeof(hi) - 1);
	b0.shut_after = false;
	if (!pump(&b0, 1, 2000, NULL))
		fail_conn(&b0, "a client", 2000);
	conn_open(&a, data, len);
	a.reading = false;
	staller = &a;
	staller_sent = 0;
	staller_still = 0;
	pump(&a, 1, 10000, stalled);
	require_server("while a client was not reading");
	blocked = server_blocked_writing()
	              ? "; a thread of the server sleeps in a write to a "
	                "socket (one to a client that does not read blocks "
	                "until it reads: use non-blocking sockets with "
	                "poll(), or a thread or process per client)"
	              : "";
	/* The same connection as b0, a new message. */
	b = b0;
	b.out = b_msg;
	b.len = sizeof(b_msg) - 1;
	b.sent = b.got = 0;
	b.done_at = -1;
	if (!pump(&b, 1, 2000, NULL))
		verdict("failed",
		        "a connected client got %zu of %zu bytes of its echo "
		        "within 2 s while another client did not read its "
		        "own%s",
		        b.got, b.len, blocked);
	conn_open(&c, c_msg, sizeof(c_msg) - 1);
	c.shut_after = false;
	if (!pump(&c, 1, 2000, NULL))
		verdict("failed",
		        "a new client got %zu of %zu bytes of its echo within "
		        "2 s while another client did not read its own%s",
		        c.got, c.len, blocked);
	/* Now A reads: all of it must come, nothing dropped. */
	a.reading = true;
	if (!pump(&a, 1, 20000, NULL))
		fail_conn(&a,
		          "the client that did not read for a while, once it "
		          "read",
		          20000);
	conn_close(&b);
	conn_close(&c);
	passed();
}

/* fdleak's progress, for its verdict when the CPU runs out. */
static int leak_done, leak_of;

/* Out of CPU (processes the server started spin): the zombies seen so
 * far still say whether it waits for its children. */
static void fdleak_cpu_out(void)
{
	struct scan sc = programs_scan();
	char top[300] = "";

	cpu_top(NULL, top, sizeof(top));
	if (sc.zombies > 2)
		verdict("failed",
		        "%d processes the server started are zombies after %d "
		        "connections: nobody waited for them (reap forked "
		        "children with waitpid(-1, NULL, WNOHANG) in a loop "
		        "in a SIGCHLD handler: signals coalesce). The test "
		        "then stopped, %s%s%s",
		        sc.zombies, leak_done, budget_spent(),
		        top[0] ? "; the most CPU went to " : "", top);
	verdict("failed",
	        "the test stopped after %d of %d connections, %s, before it "
	        "could count leaks; no zombie so far%s%s",
	        leak_done, leak_of, budget_spent(),
	        top[0] ? "; the most CPU went to " : "", top);
}

static void check_fdleak(void)
{
	int n = plan.conns ? (int)plan.conns : 200, first = -1, last = -1;
	int zombies = 0;
	struct scan sc = { 0 }, first_sc = { 0 };
	static const unsigned char msg[] = "one of many\n";

	leak_of = n;
	on_cpu_out = fdleak_cpu_out;
	start_server();
	for (int i = 0; i < n; i++) {
		leak_done = i;
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
				first_sc = programs_scan();
				first = first_sc.fds;
				if (first == prev)
					break;
				prev = first;
				usleep(20000);
			}
		}
	}
	for (int k = 0; k < 50; k++) {
		sc = programs_scan();
		last = sc.fds;
		zombies = sc.zombies;
		if (last <= first && zombies <= 2)
			break;
		guard_tick();
		usleep(20000);
	}
	require_server("after many connections");
	/* Zombies first: a process left running also holds descriptors. */
	if (zombies > 2)
		verdict("failed",
		        "%d processes the server started are zombies after %d "
		        "connections: nobody waited for them (reap forked "
		        "children with waitpid(-1, NULL, WNOHANG) in a loop in "
		        "a SIGCHLD handler: signals coalesce)",
		        zombies, n);
	if (sc.sockets > first_sc.sockets + 5)
		verdict("failed",
		        "the server's processes hold %d sockets after %d "
		        "connections, %d after the first: it does not close "
		        "each connection's socket",
		        sc.sockets, n, first_sc.sockets);
	if (sc.main_fds > first_sc.main_fds + 5)
		verdict(
		    "failed",
		    "the server (pid %d) holds %d open descriptors after %d "
		    "connections, %d after the first: something is opened "
		    "per connection and never closed",
		    (int)server, sc.main_fds, n, first_sc.main_fds);
	if (sc.procs > first_sc.procs + 5)
		verdict("failed",
		        "%d processes the server started still run after %d "
		        "connections, %d after the first: each connection "
		        "leaves one behind (a child must exit once its client "
		        "is gone)",
		        sc.procs - 1, n, first_sc.procs - 1);
	(void)last;
	(void)first;
	passed();
}

/* The server outlived SIGTERM: what the kernel shows of why. */
static void still_running_after_sigterm(void)
{
	uint64_t bit = 1ULL << (SIGTERM - 1);
	const char *in = NULL;
	bool all_block = true;
	struct wproc w;

	if (witness_proc(server, &w))
		verdict("failed", "the server still runs 1 s after SIGTERM");
	for (int i = 0; i < w.ntasks; i++) {
		if (w.tasks[i].tid == server && w.tasks[i].syscall >= 0 &&
		    w.tasks[i].state == 'S')
			in = probe_call_name(w.tasks[i].syscall);
		if (w.tasks[i].state != 'Z' && !(w.tasks[i].sigblk & bit))
			all_block = false;
	}
	if (w.sigign & bit)
		verdict("failed",
		        "the server still runs 1 s after SIGTERM: it ignores "
		        "SIGTERM (SIG_IGN); catch it, and end the accept loop");
	if (all_block && w.ntasks)
		verdict(
		    "failed",
		    "the server still runs 1 s after SIGTERM: every one of "
		    "its threads blocks SIGTERM, so it stays pending; leave "
		    "it unblocked in the thread that accepts");
	if ((w.sigcgt & bit) && in)
		verdict("failed",
		        "the server still runs 1 s after SIGTERM: it has a "
		        "handler for it, and its main thread sleeps in %s() "
		        "again (a handler that only sets a flag is not seen "
		        "while the call is restarted: install it with "
		        "sigaction() and no SA_RESTART, which signal() sets)",
		        in);
	verdict("failed", "the server still runs 1 s after SIGTERM%s%s%s",
	        in ? "; its main thread sleeps in " : "", in ? in : "",
	        in ? "()" : "");
}

static void check_sigterm(void)
{
	static const unsigned char msg[] = "bye\n";
	char how[300];

	start_server();
	one_conn(msg, sizeof(msg) - 1, 0, 2000, "a client");
	/* Readiness, not a guess: SIGTERM goes when the server is back in
	 * its wait (three samples 10 ms apart). Sent while it is between
	 * its flag check and accept(), the handler would run too early for
	 * even a correct loop to notice. */
	for (int quiet = 0, k = 0; quiet < 3 && k < 200; k++) {
		quiet = server_waiting() ? quiet + 1 : 0;
		usleep(10000);
	}
	kill(server, SIGTERM);
	for (double end = now_ms() + 1000; now_ms() < end;) {
		if (!server_alive())
			break;
		usleep(2000);
	}
	if (!server_gone)
		still_running_after_sigterm();
	if (WIFEXITED(server_status) && WEXITSTATUS(server_status) == 0)
		passed();
	describe_end(server_status, how, sizeof(how));
	verdict("failed",
	        "on SIGTERM the server %s; it must close its sockets and exit "
	        "with status 0%s",
	        how,
	        WIFSIGNALED(server_status) && WTERMSIG(server_status) == SIGTERM
	            ? " (install a SIGTERM handler)"
	            : "");
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
	{ "stall", check_stall },         { "fdleak", check_fdleak },
	{ "sigterm", check_sigterm },     { "refused", check_refused },
};

int main(void)
{
	/* Same uid as the programs: without this they could read its
	 * memory or take over its report through /proc. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	probe_name = "netprobe";
	probe_start_clock();
	signal(SIGPIPE, SIG_IGN);
	/* Where memory is limited by address space (RLIMIT_AS, the basic
	 * tier), glibc's 64 MiB arena per thread would make a thread per
	 * client fail long before memory runs out. */
	setenv("MALLOC_ARENA_MAX", "2", 0);
	if (!witness_open())
		die("no witness: run me through the harness");
	read_plan();
	for (size_t i = 0; i < sizeof(checks) / sizeof(*checks); i++)
		if (!strcmp(checks[i].name, plan.check)) {
			checks[i].run();
			die("check '%s' gave no verdict", plan.check);
		}
	die("no check '%s'", plan.check);
	return 100;
}
