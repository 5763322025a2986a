/*
 * server.c - TCP echo server.
 *
 *   ./server PORT
 *
 * This skeleton compiles but does nothing yet: fill in the TODOs. Read
 * HANDOUT.md first; man pages: socket(2), bind(2), listen(2), accept(2),
 * poll(2), fork(2), pthread_create(3), sigaction(2), signal(7), tcp(7).
 */
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: server PORT\n");
		return 2;
	}
	/* TODO: ignore SIGPIPE; install a SIGTERM handler (sigaction,
	 * without SA_RESTART) that makes the accept loop end. */
	/* TODO: socket(), SO_REUSEADDR, bind() to htons(PORT), listen(). */
	/* TODO: serve many clients at once (fork per client with a SIGCHLD
	 * reaper, a thread per client, or poll/epoll with a buffer per
	 * connection); echo every byte until the client shuts down its
	 * side, then close the connection. */
	/* TODO: on SIGTERM close the listening socket and return 0. */
	fprintf(stderr, "server: not implemented\n");
	return 1;
}
