/* Echo client: sends all of stdin, then reads the echo. */
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

static int write_all(int fd, const char *p, ssize_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, p, n);
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
	/* BUG: nothing reads the echo while this loop runs; once the
	 * socket buffers are full the server blocks writing to us, stops
	 * reading, and this write blocks for ever. */
	while ((n = read(0, buf, sizeof(buf))) > 0)
		if (write_all(fd, buf, n) < 0)
			return 1;
	shutdown(fd, SHUT_WR);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (write_all(1, buf, n) < 0)
			return 1;
	return 0;
}
