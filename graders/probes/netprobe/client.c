/*
 * client.c - netprobe's checks of a client under test (check_stdio with a
 * student client, check_refused), and of the reference client against the
 * server under test (check_stdio): what it sent, what it printed, how it
 * ended, and, when it stops moving, why, as the relay saw it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "calls.h"
#include "netprobe.h"
#include "witness.h"

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
void check_stdio(void)
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

void check_refused(void)
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
