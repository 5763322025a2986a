/*
 * client.c - reference TCP echo client: ./client HOST PORT
 *
 * Sends its stdin to the server and writes what comes back to stdout, both
 * at once in one poll() loop: a client that wrote all its input before
 * reading would deadlock on large inputs (the server blocks writing an
 * echo nobody reads and stops reading). After end-of-file on stdin and
 * once everything is sent, it shuts down its write side (half-close) and
 * reads until the server closes. Exit 0, or 1 with a message on stderr.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUF_SIZE 65536

static int connect_to(const char *host, const char *port)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC,
		                  .ai_socktype = SOCK_STREAM };
	struct addrinfo *res, *ai;
	int fd = -1, e = 0, rc;

	if ((rc = getaddrinfo(host, port, &hints, &res))) {
		fprintf(stderr, "client: %s: %s\n", host, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai && fd < 0; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		            ai->ai_protocol);
		if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
			e = errno;
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(res);
	if (fd < 0)
		fprintf(stderr, "client: cannot connect to %s port %s: %s\n",
		        host, port, strerror(e));
	return fd;
}

/* Write all of buf to a blocking fd; false on error. */
static bool write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return false;
		buf += n;
		len -= (size_t)n;
	}
	return true;
}

int main(int argc, char **argv)
{
	static char out[BUF_SIZE], in[BUF_SIZE];
	size_t head = 0, tail = 0; /* stdin bytes not yet sent */
	bool in_eof = false, shut = false;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: client HOST PORT\n");
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	if ((fd = connect_to(argv[1], argv[2])) < 0)
		return 1;
	fcntl(fd, F_SETFL, O_NONBLOCK);

	for (;;) {
		struct pollfd p[2] = { { 0, 0, 0 }, { fd, POLLIN, 0 } };
		ssize_t n;

		if (!in_eof && tail < BUF_SIZE)
			p[0].events = POLLIN;
		else
			p[0].fd = -1;
		if (head < tail)
			p[1].events |= POLLOUT;
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			perror("client: poll");
			return 1;
		}
		if (p[0].revents) {
			n = read(0, in + tail, BUF_SIZE - tail);
			if (n > 0)
				tail += (size_t)n;
			else if (n == 0 || errno != EINTR)
				in_eof = true;
		}
		if (p[1].revents & POLLOUT) {
			n = send(fd, in + head, tail - head, MSG_NOSIGNAL);
			if (n < 0 && errno != EAGAIN && errno != EINTR) {
				perror("client: send");
				return 1;
			}
			if (n > 0 && (head += (size_t)n) == tail)
				head = tail = 0;
		}
		/* Everything sent: tell the server, keep reading its echo. */
		if (in_eof && head == tail && !shut) {
			shutdown(fd, SHUT_WR);
			shut = true;
		}
		if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			n = read(fd, out, sizeof(out));
			if (n == 0)
				break; /* the server closed: all is echoed */
			if (n < 0 && errno != EAGAIN && errno != EINTR) {
				perror("client: read");
				return 1;
			}
			if (n > 0 && !write_all(1, out, (size_t)n)) {
				perror("client: write");
				return 1;
			}
		}
	}
	close(fd);
	return 0;
}
