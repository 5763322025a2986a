/*
 * server.c - reference TCP echo server: ./server PORT
 *
 * One thread, one poll() loop, non-blocking sockets and a buffer per
 * connection. Each connection echoes every byte it receives, unchanged,
 * until the client shuts down its side; then the rest is flushed and the
 * connection closed. SIGTERM ends the loop: every socket is closed and the
 * server exits 0.
 *
 * Flow control: a connection whose buffer is full is not read from until
 * the client has taken some of its echo, so a client that stops reading
 * makes the server stop reading it too (the kernel then pushes back on
 * the client's writes) instead of the server growing its memory, spinning
 * or dropping data.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_CONNS 1024
#define BUF_SIZE  65536

struct conn {
	int fd;
	char buf[BUF_SIZE]; /* received, not yet echoed: buf[head..tail) */
	size_t head, tail;
	bool eof; /* the client shut down its side */
};

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static int listen_on(const char *port_text)
{
	char *end;
	long port = strtol(port_text, &end, 10);
	struct sockaddr_in addr = { .sin_family = AF_INET };
	int one = 1, fd;

	if (*end || port < 1 || port > 65535) {
		fprintf(stderr, "server: bad port '%s'\n", port_text);
		return -1;
	}
	addr.sin_port = htons((unsigned short)port);
	addr.sin_addr.s_addr = htonl(INADDR_ANY);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		perror("server: socket");
		return -1;
	}
	/* Restarting the server must not wait for old connections'
	 * TIME_WAIT to expire. */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    listen(fd, SOMAXCONN) < 0) {
		perror("server: bind/listen");
		close(fd);
		return -1;
	}
	return fd;
}

/* Read what fits in the buffer, write what is buffered. Returns false
 * when the connection is finished (closed by the client, reset, or
 * flushed after the client's end-of-file). */
static bool serve(struct conn *c, short revents)
{
	ssize_t n;

	if ((revents & (POLLIN | POLLHUP | POLLERR)) && !c->eof &&
	    c->tail < BUF_SIZE) {
		n = read(c->fd, c->buf + c->tail, BUF_SIZE - c->tail);
		if (n > 0)
			c->tail += (size_t)n;
		else if (n == 0)
			c->eof = true;
		else if (errno != EAGAIN && errno != EINTR)
			return false; /* ECONNRESET: the client is gone */
	}
	while (c->head < c->tail) {
		/* MSG_NOSIGNAL: a reset client gives EPIPE, not SIGPIPE. */
		n = send(c->fd, c->buf + c->head, c->tail - c->head,
		         MSG_NOSIGNAL);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			break; /* poll() says when it can take more */
		if (n < 0)
			return false;
		c->head += (size_t)n;
	}
	if (c->head == c->tail)
		c->head = c->tail = 0;
	return !(c->eof && c->tail == 0);
}

int main(int argc, char **argv)
{
	static struct conn *conns[MAX_CONNS];
	static struct pollfd pfd[MAX_CONNS + 1];
	struct sigaction sa = { .sa_handler = on_term };
	int lfd, n = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: server PORT\n");
		return 2;
	}
	/* No SA_RESTART: SIGTERM interrupts poll() with EINTR. */
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if ((lfd = listen_on(argv[1])) < 0)
		return 1;

	while (!stop) {
		pfd[0] = (struct pollfd){ lfd, n < MAX_CONNS ? POLLIN : 0, 0 };
		for (int i = 0; i < n; i++) {
			struct conn *c = conns[i];
			short ev = 0;
			if (!c->eof && c->tail < BUF_SIZE)
				ev |= POLLIN; /* room to read */
			if (c->head < c->tail)
				ev |= POLLOUT; /* echo pending */
			pfd[i + 1] = (struct pollfd){ c->fd, ev, 0 };
		}
		if (poll(pfd, (nfds_t)n + 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			perror("server: poll");
			break;
		}
		/* Serve before accepting: pfd[i + 1] belongs to conns[i]. */
		for (int i = n - 1; i >= 0; i--) {
			if (!pfd[i + 1].revents ||
			    serve(conns[i], pfd[i + 1].revents))
				continue;
			close(conns[i]->fd);
			free(conns[i]);
			conns[i] = conns[--n];
		}
		if (pfd[0].revents & POLLIN) {
			int fd = accept4(lfd, NULL, NULL,
			                 SOCK_NONBLOCK | SOCK_CLOEXEC);
			struct conn *c;
			if (fd < 0)
				continue; /* EAGAIN, or the client left */
			if (!(c = calloc(1, sizeof(*c)))) {
				close(fd);
				continue;
			}
			c->fd = fd;
			conns[n++] = c;
		}
	}
	for (int i = 0; i < n; i++) {
		close(conns[i]->fd);
		free(conns[i]);
	}
	close(lfd);
	return 0;
}
