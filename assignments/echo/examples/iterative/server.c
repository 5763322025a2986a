/* Echo server: one client at a time (accept, serve to the end, accept). */
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct sigaction sa = { .sa_handler = on_term };
	int one = 1, lfd;

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
	while (!stop) {
		char buf[4096];
		ssize_t n;
		int c = accept(lfd, NULL, NULL);
		if (c < 0)
			continue;
		/* BUG: the next client waits until this one is done. */
		while ((n = read(c, buf, sizeof(buf))) > 0)
			for (char *p = buf; n > 0;) {
				ssize_t k = write(c, p, n);
				if (k < 0)
					break;
				p += k;
				n -= k;
			}
		close(c);
	}
	close(lfd);
	return 0;
}
