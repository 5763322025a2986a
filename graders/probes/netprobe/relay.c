/*
 * relay.c - netprobe stands between a client under test and the server, so
 * that a client test sees both ends: what the client sent the server (all
 * of its input, in order) as well as what it printed. Buffers are small and
 * each direction moves only when the far side takes it, so back-pressure
 * (a client that writes everything before it reads) is kept.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "netprobe.h"

void relay_open(struct relay *r, const unsigned char *want, size_t len)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t al = sizeof(a);

	memset(r, 0, sizeof(*r));
	r->c = r->s = -1;
	r->want = want;
	r->want_len = len;
	r->held = len < RELAY_HELD ? len : RELAY_HELD;
	r->port = free_port(port);
	a.sin_port = htons((uint16_t)r->port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	r->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (r->lfd < 0 || bind(r->lfd, (struct sockaddr *)&a, al) < 0 ||
	    listen(r->lfd, 4) < 0)
		die("relay: %s", strerror(errno));
}

/* How much of the echo may go to the client now. */
static size_t passable(const struct relay *r)
{
	size_t cap;

	if (r->c_eof)
		return r->downlen;
	cap = r->want_len - r->held;
	if (r->delivered >= cap)
		return 0;
	return r->downlen < cap - r->delivered ? r->downlen
	                                       : cap - r->delivered;
}

/* The descriptors to poll now, and for what. */
int relay_fds(const struct relay *r, struct pollfd *pf)
{
	int n = 0;

	if (r->c < 0 && r->lfd >= 0)
		pf[n++] = (struct pollfd){ r->lfd, POLLIN, 0 };
	if (r->c >= 0) {
		short ev = 0;
		if (!r->c_eof && r->uplen < sizeof(r->up))
			ev |= POLLIN;
		if (passable(r))
			ev |= POLLOUT;
		pf[n++] = (struct pollfd){ r->c, ev, 0 };
	}
	if (r->s >= 0) {
		short ev = 0;
		if (!r->s_eof && r->downlen < sizeof(r->down))
			ev |= POLLIN;
		if (r->uplen)
			ev |= POLLOUT;
		pf[n++] = (struct pollfd){ r->s, ev, 0 };
	}
	return n;
}

/* What the client sent, against what it had to send. */
static void seen_up(struct relay *r, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n && !r->bad; i++)
		if (r->sent + i >= r->want_len ||
		    p[i] != r->want[r->sent + i]) {
			r->bad = true;
			r->bad_at = r->sent + i;
		}
	r->sent += n;
}

static void move(struct relay *r)
{
	size_t n;
	ssize_t k;

	if (r->c >= 0 && !r->c_eof && r->uplen < sizeof(r->up)) {
		k = read(r->c, r->up + r->uplen, sizeof(r->up) - r->uplen);
		if (k > 0) {
			seen_up(r, r->up + r->uplen, (size_t)k);
			r->uplen += (size_t)k;
		} else if (k == 0 || (errno != EAGAIN && errno != EINTR)) {
			r->c_eof = true;
			r->at_eof = r->delivered;
		}
	}
	if (r->s >= 0 && r->uplen) {
		k = send(r->s, r->up, r->uplen, MSG_NOSIGNAL);
		if (k > 0) {
			memmove(r->up, r->up + k, r->uplen - (size_t)k);
			r->uplen -= (size_t)k;
		} else if (k < 0 && errno != EAGAIN && errno != EINTR) {
			r->uplen = 0; /* the server is gone */
		}
	}
	if (r->s >= 0 && r->c_eof && !r->uplen && !r->up_shut) {
		shutdown(r->s, SHUT_WR);
		r->up_shut = true;
	}
	if (r->s >= 0 && !r->s_eof && r->downlen < sizeof(r->down)) {
		k = read(r->s, r->down + r->downlen,
		         sizeof(r->down) - r->downlen);
		if (k > 0)
			r->downlen += (size_t)k;
		else if (k == 0 || (errno != EAGAIN && errno != EINTR))
			r->s_eof = true;
	}
	if (r->c >= 0 && (n = passable(r))) {
		k = send(r->c, r->down, n, MSG_NOSIGNAL);
		if (k > 0) {
			memmove(r->down, r->down + k, r->downlen - (size_t)k);
			r->downlen -= (size_t)k;
			r->delivered += (size_t)k;
		} else if (k < 0 && errno != EAGAIN && errno != EINTR) {
			r->downlen = 0; /* the client is gone */
		}
	}
	if (r->c >= 0 && r->s_eof && !r->downlen && !r->down_shut) {
		shutdown(r->c, SHUT_WR);
		r->down_shut = true;
	}
}

void relay_step(struct relay *r)
{
	if (r->c < 0 && r->lfd >= 0) {
		r->c =
		    accept4(r->lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (r->c < 0)
			return;
		r->connected = true;
		/* One connection, as the client makes: no other. */
		close(r->lfd);
		r->lfd = -1;
		if ((r->s = connect_to(port)) < 0)
			die("relay: the server refused the relayed connection");
		fcntl(r->s, F_SETFL, O_NONBLOCK);
	}
	if (r->c >= 0)
		move(r);
}

void relay_close(struct relay *r)
{
	int *fds[] = { &r->lfd, &r->c, &r->s };

	for (size_t i = 0; i < 3; i++)
		if (*fds[i] >= 0) {
			close(*fds[i]);
			*fds[i] = -1;
		}
}
