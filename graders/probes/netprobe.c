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
		while (c.sent < len && now_ms() - still < 500 && !c.err &&
		       now_ms() - start < 10000) {
			pump(&c, 1, 20, NULL);
			if (server_blocked_writing())
				break;
			if (c.sent != last) {
				last = c.sent;
				still = now_ms();
			}
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
		        "%zu of %zu bytes back as sent%s (a server that drops "
		        "what it cannot write at once does this: keep the "
		        "data, and write the rest once poll() says the "
		        "socket is writable)",
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
		        "client was not reading: it ran instead of sleeping "
		        "until the socket was writable (in poll(), or in a "
		        "blocking write())",
		        cpu1 - cpu0, (t2 - t1) / 1000);
	passed();
}

static void check_fdleak(void)
{
	int n = plan.conns ? (int)plan.conns : 200, first = -1, last = -1;
	int zombies = 0;
	struct scan sc = { 0 }, first_sc = { 0 };
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
		usleep(20000);
	}
	require_server("after many connections");
	if (last > first + 5 && sc.sockets > first_sc.sockets + 5)
		verdict("failed",
		        "the server's processes hold %d sockets after %d "
		        "connections, %d after the first: it does not close "
		        "each connection's socket",
		        sc.sockets, n, first_sc.sockets);
	if (last > first + 5)
		verdict("failed",
		        "the server's processes (%d now, %d after the first "
		        "connection) hold %d open descriptors after %d "
		        "connections, %d after the first: something is opened "
		        "per connection and never closed",
		        sc.procs, first_sc.procs, last, n, first);
	if (zombies > 2)
		verdict("failed",
		        "%d processes the server started are zombies after %d "
		        "connections: nobody waited for them (reap forked "
		        "children with waitpid(-1, NULL, WNOHANG) in a "
		        "SIGCHLD handler, or ignore SIGCHLD)",
		        zombies, n);
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

/* A client under test that stopped moving: why, as far as the relay
 * shows it. */
static void client_stuck(const struct relay *rl, size_t fed, size_t len,
                         size_t got)
{
	if (rl->sent == len && !rl->c_eof)
		verdict("failed",
		        "%s sent all %zu bytes of its input and printed %zu, "
		        "then waited without shutting down its write side, "
		        "and nothing moved for 2 s: the end of the echo may "
		        "come only once the server sees end-of-file; call "
		        "shutdown(fd, SHUT_WR) after the last byte, then read "
		        "until the server closes",
		        who_client(), len, got);
	if (rl->sent < len && rl->downlen == sizeof(rl->down))
		verdict(
		    "failed",
		    "%s is stuck: it sent %zu of the %zu bytes of its input "
		    "and stopped reading the echo (%zu bytes of it wait "
		    "unread), and nothing moved for 2 s. A client that "
		    "writes everything before it reads deadlocks: the "
		    "server blocks writing the echo nobody reads, and "
		    "stops reading",
		    who_client(), rl->sent, len, rl->downlen);
	verdict("failed",
	        "%s is stuck: it took %zu of the %zu bytes of its input, sent "
	        "%zu to the server and wrote %zu to its output, and nothing "
	        "moved for 2 s",
	        who_client(), fed, len, rl->sent, got);
}

/* Run the client with `in` on stdin against port p; compare its stdout
 * with `in` as it arrives. A client stuck with nothing moving for 2 s is
 * deadlocked. */
static void check_stdio(void)
{
	size_t len = drawn_size(plan.bytes ? (size_t)plan.bytes : 1000);
	unsigned char *in = make_data(len, 13, false), buf[65536];
	int inp[2], outp[2];
	char arg[16], how[300];
	const char *argv[] = { "client", "127.0.0.1", arg, NULL };
	size_t fed = 0, got = 0, bad_at = 0;
	bool bad = false, exited = false;
	bool student = !strcmp(plan.client_who, "student");
	struct relay rl = { .lfd = -1, .c = -1, .s = -1 };
	double last_move, start;
	int st = 0;
	pid_t pid;

	start_server();
	/* A client under test talks to the server through us: we see what
	 * it sends, not only what it prints. */
	if (student)
		relay_open(&rl, in, len);
	snprintf(arg, sizeof(arg), "%d", student ? rl.port : port);
	if (pipe2(inp, O_CLOEXEC) < 0 || pipe2(outp, O_CLOEXEC) < 0)
		die("pipe: %s", strerror(errno));
	pid = spawn(plan.client_fd, argv, inp[0], outp[1], -1);
	close(inp[0]);
	close(outp[1]);
	fcntl(inp[1], F_SETFL, O_NONBLOCK);
	fcntl(outp[0], F_SETFL, O_NONBLOCK);
	start = last_move = now_ms();
	while (!exited || outp[0] >= 0) {
		struct pollfd pf[5] = { { inp[1], POLLOUT, 0 },
			                { outp[0], POLLIN, 0 } };
		int npf = 2 + (student ? relay_fds(&rl, pf + 2) : 0);
		size_t moved = rl.sent;
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
			client_stuck(&rl, fed, len, got);
		}
		if (now_ms() - start > 20000 ||
		    (exited && now_ms() - last_move > 2000))
			break;
		poll(pf, (nfds_t)npf, 20);
		if (student) {
			relay_step(&rl);
			if (rl.sent != moved)
				last_move = now_ms();
		}
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
	relay_close(&rl);
	/* The other end first: what reached the server. */
	if (student && !rl.connected)
		verdict("failed",
		        "%s never connected to the server, though it printed "
		        "%zu bytes",
		        who_client(), got);
	if (student && rl.bad)
		verdict("failed",
		        "%s sent the server bytes that differ from its input, "
		        "from byte %zu on",
		        who_client(), rl.bad_at);
	if (student && rl.sent < len)
		verdict("failed",
		        "%s sent the server only %zu of the %zu bytes of its "
		        "input%s",
		        who_client(), rl.sent, len,
		        got >= len ? ", yet printed them all: what it prints "
		                     "must be what the server sends back"
		                   : "");
	if (bad)
		verdict("failed",
		        "%s's output differs from its input at byte %zu of %zu",
		        who_client(), bad_at, len);
	/* It printed all it had before its end-of-file, not what came after
	 * (the relay holds the end of the echo until then). */
	if (got < len && student && rl.c_eof && got >= rl.at_eof)
		verdict(
		    "failed",
		    "%s printed %zu of the %zu bytes: the last %zu came only "
		    "after it ended its side of the connection, and it "
		    "exited without printing them; after end-of-file on "
		    "stdin, call shutdown(fd, SHUT_WR), then read until "
		    "read() returns 0",
		    who_client(), got, len, len - got);
	if (got < len && student)
		verdict("failed",
		        "%zu bytes of the echo reached %s's connection, and it "
		        "wrote %zu of them to its output (of %zu)",
		        rl.delivered, who_client(), got, len);
	/* The reference client reads until the server closes. */
	if (got < len && WIFEXITED(st) && !WEXITSTATUS(st))
		verdict("failed",
		        "the connection was closed from the server's end after "
		        "%zu of the %zu bytes came back (the reference client "
		        "reads until then)",
		        got, len);
	if (got < len) {
		describe_end(st, how, sizeof(how));
		verdict("failed", "%s wrote %zu of the %zu bytes back, and %s",
		        who_client(), got, len, how);
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		describe_end(st, how, sizeof(how));
		verdict("failed", "%s %s after a correct echo", who_client(),
		        how);
	}
	passed();
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
		passed();
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
