/* Echo server: poll() over non-blocking sockets, echoing as it reads. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX 256

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
	struct pollfd p[MAX + 1];
	int one = 1, n = 0;

	if (argc != 2)
		return 2;
	signal(SIGPIPE, SIG_IGN);
	sigaction(SIGTERM, &sa, NULL);
	a.sin_port = htons(atoi(argv[1]));
	p[0].fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	p[0].events = POLLIN;
	setsockopt(p[0].fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(p[0].fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(p[0].fd, 128) < 0) {
		perror("bind");
		return 1;
	}
	while (!stop) {
		if (poll(p, n + 1, -1) < 0)
			continue;
		for (int i = n; i >= 1; i--) {
			char buf[4096];
			ssize_t r, w = 0;
			if (!p[i].revents)
				continue;
			r = read(p[i].fd, buf, sizeof(buf));
			if (r < 0 && errno == EAGAIN)
				continue;
			while (r > 0 && w < r) {
				ssize_t k = write(p[i].fd, buf + w, r - w);
				/* BUG: when the client's side is full the
				 * write would block (EAGAIN), and the rest of
				 * the buffer is simply dropped. */
				if (k < 0)
					break;
				w += k;
			}
			if (r <= 0) {
				close(p[i].fd);
				p[i] = p[n--];
			}
		}
		if (p[0].revents & POLLIN && n < MAX) {
			int c = accept4(p[0].fd, NULL, NULL, SOCK_NONBLOCK);
			if (c >= 0) {
				p[++n].fd = c;
				p[n].events = POLLIN;
			}
		}
	}
	return 0;
}
