/*
 * Bug: one select() loop over blocking sockets. Reading is never held up,
 * but each echo is written with a blocking write(): when one client stops
 * reading, that write waits for it, and every other client (and every
 * newcomer) waits too.
 */
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static int write_all(int fd, const char *p, ssize_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, p, (size_t)n); /* blocks when full */
		if (k < 0)
			return -1;
		p += k;
		n -= k;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct sigaction sa = { .sa_handler = on_term };
	int one = 1, lfd, maxfd;
	fd_set all;

	if (argc != 2)
		return 2;
	signal(SIGPIPE, SIG_IGN);
	sigaction(SIGTERM, &sa, NULL);
	a.sin_port = htons(atoi(argv[1]));
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(lfd, SOMAXCONN) < 0) {
		perror("bind");
		return 1;
	}
	FD_ZERO(&all);
	FD_SET(lfd, &all);
	maxfd = lfd;
	while (!stop) {
		fd_set ready = all;
		if (select(maxfd + 1, &ready, NULL, NULL, NULL) < 0) {
			if (errno == EINTR)
				continue;
			perror("select");
			return 1;
		}
		if (FD_ISSET(lfd, &ready)) {
			int c = accept(lfd, NULL, NULL);
			if (c >= 0 && c < FD_SETSIZE) {
				FD_SET(c, &all);
				if (c > maxfd)
					maxfd = c;
			} else if (c >= 0) {
				close(c);
			}
		}
		for (int fd = 0; fd <= maxfd; fd++) {
			char buf[4096];
			ssize_t n;
			if (fd == lfd || !FD_ISSET(fd, &ready))
				continue;
			n = read(fd, buf, sizeof(buf));
			if (n <= 0 || write_all(fd, buf, n) < 0) {
				close(fd);
				FD_CLR(fd, &all);
			}
		}
	}
	for (int fd = 0; fd <= maxfd; fd++)
		if (FD_ISSET(fd, &all))
			close(fd);
	return 0;
}
