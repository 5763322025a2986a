/* Echo client: select() on stdin and the socket. */
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai;
	char in[4096], out[4096];
	size_t have = 0, sent = 0;
	int fd, in_open = 1;

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
		fd_set r, w;
		FD_ZERO(&r);
		FD_ZERO(&w);
		FD_SET(fd, &r);
		if (in_open && have == 0)
			FD_SET(0, &r);
		if (sent < have)
			FD_SET(fd, &w);
		if (select(fd + 1, &r, &w, NULL, NULL) < 0)
			continue;
		if (FD_ISSET(0, &r)) {
			ssize_t n = read(0, in, sizeof(in));
			if (n <= 0) {
				in_open = 0;
				shutdown(fd, SHUT_WR);
			} else {
				have = n;
				sent = 0;
			}
		}
		if (FD_ISSET(fd, &w)) {
			/* one write at most: select said it would not block
			 * for some bytes, not for all */
			ssize_t n =
			    send(fd, in + sent, have - sent, MSG_DONTWAIT);
			if (n > 0)
				sent += n;
			if (sent == have)
				have = sent = 0;
		}
		if (FD_ISSET(fd, &r)) {
			ssize_t n = read(fd, out, sizeof(out));
			if (n <= 0)
				break;
			if (write(1, out, n) != n)
				return 1;
		}
	}
	return 0;
}
