/*
 * Bug: never shuts down its write side. It sends stdin and prints the echo
 * in one poll() loop; after end-of-file on stdin it reads on until the
 * server has been silent for half a second, then closes and exits 0. With
 * a prompt server it usually gets everything, but the server may send the
 * last bytes only once it sees end-of-file, which never comes.
 */
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

static int write_all(int fd, const char *p, ssize_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, p, (size_t)n);
		if (k < 0)
			return -1;
		p += k;
		n -= k;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai;
	char buf[4096];
	bool in_open = true;
	ssize_t n;
	int fd;

	if (argc != 3)
		return 1;
	signal(SIGPIPE, SIG_IGN);
	if (getaddrinfo(argv[1], argv[2], &hints, &ai) != 0) {
		fprintf(stderr, "client: unknown host %s\n", argv[1]);
		return 1;
	}
	fd = socket(ai->ai_family, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		perror("client: connect");
		return 1;
	}
	for (;;) {
		struct pollfd p[2] = { { fd, POLLIN, 0 }, { 0, POLLIN, 0 } };
		int r = poll(p, in_open ? 2 : 1, in_open ? -1 : 500);
		if (r == 0)
			break; /* quiet for 500 ms: surely done */
		if (p[0].revents) {
			n = read(fd, buf, sizeof(buf));
			if (n <= 0)
				break;
			if (write_all(1, buf, n) < 0)
				return 1;
		}
		if (in_open && p[1].revents) {
			n = read(0, buf, sizeof(buf));
			if (n <= 0)
				in_open =
				    false; /* the bug: no shutdown(SHUT_WR) */
			else if (write_all(fd, buf, n) < 0)
				return 1;
		}
	}
	close(fd);
	return 0;
}
