/*
 * client.c - TCP echo client.
 *
 *   ./client HOST PORT
 *
 * This skeleton compiles but does nothing yet: fill in the TODOs. Read
 * HANDOUT.md first; man pages: getaddrinfo(3), socket(2), connect(2),
 * poll(2), shutdown(2).
 */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: client HOST PORT\n");
		return 1;
	}
	/* TODO: getaddrinfo(HOST, PORT), socket(), connect(); on failure a
	 * message on stderr and exit status 1. */
	/* TODO: copy stdin to the socket and the socket to stdout at the
	 * same time (poll, or a second thread or process). */
	/* TODO: at end-of-file on stdin, once everything is sent,
	 * shutdown(fd, SHUT_WR); keep reading until the server closes. */
	fprintf(stderr, "client: not implemented\n");
	return 2;
}
