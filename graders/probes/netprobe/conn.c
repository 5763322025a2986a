/*
 * conn.c - netprobe's client connections: send, read and verify the echo
 * on many connections at once, paced or windowed, and say what went wrong.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "netprobe.h"

/* ---- connections driven by the probe ---- */

void conn_open(struct conn *c, const unsigned char *out, size_t len)
{
	memset(c, 0, sizeof(*c));
	c->fd = connect_to(port);
	if (c->fd < 0) {
		int e = errno;
		require_server("while clients connected");
		verdict("failed", "connecting to %s failed: %s", who_server(),
		        strerror(e));
	}
	fcntl(c->fd, F_SETFL, O_NONBLOCK);
	c->out = out;
	c->len = len;
	c->reading = true;
	c->shut_after = true;
	c->done_at = -1;
}

void conn_close(struct conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

/* Everything echoed (and, after a shutdown, the server's close seen). */
bool conn_done(const struct conn *c)
{
	return c->bad || c->err || c->eof ||
	       (c->got == c->len && !c->shut_after);
}

/* Done, and as it should be: every byte echoed, and closed if shut. */
bool conn_ok(const struct conn *c)
{
	return !c->bad && !c->err && c->got == c->len &&
	       (!c->shut_after || c->eof);
}

static bool may_send(const struct conn *c, double now, double *wake)
{
	if (c->sent == c->len || c->err)
		return false;
	if (c->window && c->sent - c->got >= c->window)
		return false;
	if (c->every_ms && now < c->next) {
		if (c->next < *wake)
			*wake = c->next;
		return false;
	}
	return true;
}

static void conn_send(struct conn *c, double now)
{
	size_t n = c->len - c->sent;
	ssize_t k;

	if (c->window && n > c->window - (c->sent - c->got))
		n = c->window - (c->sent - c->got);
	if (c->every_ms)
		n = 1;
	k = send(c->fd, c->out + c->sent, n, MSG_NOSIGNAL);
	if (k < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (k < 0) {
		c->err = errno;
		return;
	}
	c->sent += (size_t)k;
	if (c->every_ms)
		c->next = now + (double)c->every_ms;
}

static void conn_recv(struct conn *c, double now)
{
	unsigned char buf[65536];
	ssize_t k = recv(c->fd, buf, sizeof(buf), 0);

	if (k < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (k < 0) {
		c->err = errno;
		return;
	}
	if (k == 0) {
		c->eof = true;
		return;
	}
	for (ssize_t i = 0; i < k && !c->bad; i++) {
		if (c->got + (size_t)i >= c->sent ||
		    buf[i] != c->out[c->got + (size_t)i]) {
			c->bad = true;
			c->bad_at = c->got + (size_t)i;
			c->saw = buf[i];
			/* What came instead, to tell a gap in the data. */
			c->nafter = (size_t)(k - i) < sizeof(c->after)
			                ? (size_t)(k - i)
			                : sizeof(c->after);
			memcpy(c->after, buf + i, c->nafter);
		}
	}
	if (!c->bad)
		c->got += (size_t)k;
	if (conn_done(c) && c->done_at < 0)
		c->done_at = now;
}

/* Move data on every connection until each is done or the deadline
 * (ms from now) passes; `until`, if set, may end it earlier. Returns
 * whether every connection is done and ok. */
bool pump(struct conn *cs, int n, double ms, bool (*until)(void))
{
	double end = now_ms() + ms;

	for (;;) {
		struct pollfd pf[MAX_CONNS];
		double now = now_ms(), wake = end;
		bool all = true;
		int timeout;

		for (int i = 0; i < n; i++) {
			struct conn *c = &cs[i];
			if (c->fd >= 0 && c->sent == c->len && c->shut_after &&
			    !c->shut && !c->err) {
				shutdown(c->fd, SHUT_WR);
				c->shut = true;
			}
			pf[i].fd = c->fd;
			pf[i].events = 0;
			pf[i].revents = 0;
			if (c->fd < 0 || conn_done(c))
				continue;
			all = false;
			if (may_send(c, now, &wake))
				pf[i].events |= POLLOUT;
			if (c->reading && !c->eof)
				pf[i].events |= POLLIN;
		}
		if (all || now >= end || (until && until())) {
			for (int i = 0; i < n && all; i++)
				all = cs[i].fd < 0 || conn_ok(&cs[i]);
			return all;
		}
		guard_tick();
		if (wake > now + 50)
			wake = now + 50; /* look at the server now and then */
		timeout = (int)(wake - now) + 1;
		if (poll(pf, (nfds_t)n, timeout) < 0 && errno != EINTR)
			die("poll: %s", strerror(errno));
		now = now_ms();
		for (int i = 0; i < n; i++) {
			if (pf[i].revents & (POLLIN | POLLERR | POLLHUP) &&
			    cs[i].reading)
				conn_recv(&cs[i], now);
			if (pf[i].revents & POLLOUT)
				conn_send(&cs[i], now);
			if (pf[i].revents & POLLERR && !cs[i].reading) {
				int e = 0;
				socklen_t l = sizeof(e);
				getsockopt(cs[i].fd, SOL_SOCKET, SO_ERROR, &e,
				           &l);
				if (e)
					cs[i].err = e;
			}
		}
	}
}

size_t conn_dropped(const struct conn *c)
{
	const unsigned char *from = c->out + c->bad_at + 1, *at;
	size_t rest = c->sent > c->bad_at + 1 ? c->sent - c->bad_at - 1 : 0;

	if (c->nafter < 16 || !rest)
		return 0;
	at = memmem(from, rest, c->after, c->nafter);
	if (!at ||
	    memmem(at + 1, rest - (size_t)(at - from) - 1, c->after, c->nafter))
		return 0;
	return (size_t)(at - c->out) - c->bad_at;
}

/* Why a connection is not done, as a sentence; `what` names it. */
static void explain_conn(const struct conn *c, const char *what, double ms,
                         char *out, size_t n)
{
	size_t gap;

	/* At the first NUL sent, and nowhere before: how a server that
	 * treats the data as a C string fails. */
	if (c->bad && c->bad_at < c->len && c->out[c->bad_at] == 0 &&
	    !memchr(c->out, 0, c->bad_at))
		snprintf(out, n,
		         "%s: the echo is right up to the first NUL byte sent "
		         "(byte %zu), where 0x%02x came back instead: a server "
		         "that handles the data as a C string (strlen, printf, "
		         "fgets) stops there",
		         what, c->bad_at, c->saw);
	else if (c->bad && c->bad_at >= c->sent)
		snprintf(out, n,
		         "%s: more bytes came back than were sent (%zu sent)",
		         what, c->sent);
	else if (c->bad && (gap = conn_dropped(c)) > 0)
		snprintf(
		    out, n,
		    "%s: the echo is right up to byte %zu, then goes on "
		    "from byte %zu of what was sent: the %zu bytes between "
		    "were dropped",
		    what, c->bad_at, c->bad_at + gap, gap);
	else if (c->bad)
		snprintf(out, n,
		         "%s: the echo differs from what was sent at byte %zu "
		         "of %zu (sent 0x%02x, got 0x%02x): bytes were lost, "
		         "repeated or reordered",
		         what, c->bad_at, c->len, c->out[c->bad_at], c->saw);
	else if (c->err)
		snprintf(out, n, "%s: the connection failed: %s", what,
		         strerror(c->err));
	else if (c->eof && c->got < c->len)
		snprintf(out, n,
		         "%s: the connection was closed from the server's end "
		         "after %zu of %zu bytes came back",
		         what, c->got, c->len);
	else if (c->got < c->len)
		snprintf(out, n,
		         "%s: only %zu of %zu bytes came back within %.1f s",
		         what, c->got, c->len, ms / 1000);
	else
		snprintf(out, n,
		         "%s: every byte came back, but the server did not "
		         "close the connection within %.1f s of the client's "
		         "shutdown(SHUT_WR)",
		         what, ms / 1000);
}

void fail_conn(const struct conn *c, const char *what, double ms)
{
	char why[600];

	require_server("during the check");
	explain_conn(c, what, ms, why, sizeof(why));
	verdict("failed", "%s", why);
}
