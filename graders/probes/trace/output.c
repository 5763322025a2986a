/*
 * output.c - what comes out of the program: its lines (a queue, and a
 * transcript for the report), the wait for them, and how it ended. pump()
 * also serves the kernel's side (kernel.c) while it waits.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "probe.h"
#include "trace.h"

pid_t pid = -1, sender = -1;
int in_fd = -1;
bool exited, flooded, out_eof, err_eof;
int status;
struct queue fresh, backlog;
uint64_t total_out, stdout_bytes; /* both streams; stdout alone */
unsigned long long lines_seen;    /* lines of stdout so far */

static int out_fd = -1, err_fd = -1;
static char partial[2][MAX_LINE + 1];
static size_t partial_len[2];
static char transcript[TRANSCRIPT];
static size_t transcript_len, transcript_dropped;

void output_start(int out, int err)
{
	out_fd = out;
	err_fd = err;
	fcntl(out_fd, F_SETFL, O_NONBLOCK);
	fcntl(err_fd, F_SETFL, O_NONBLOCK);
}

static void transcribe(const char *s, size_t len, bool err)
{
	const char *tag = err ? "[stderr] " : "";
	size_t need = strlen(tag) + len + 1;

	if (transcript_len + need > sizeof(transcript)) {
		transcript_dropped += len + 1;
		return;
	}
	memcpy(transcript + transcript_len, tag, strlen(tag));
	transcript_len += strlen(tag);
	memcpy(transcript + transcript_len, s, len);
	transcript_len += len;
	transcript[transcript_len++] = '\n';
}

void push(struct queue *q, char *text, bool err)
{
	/* stderr is chatter to every step but one that reads either stream:
	 * never more than half of the queue, and never a flood. */
	if (err && q->n >= MAX_QUEUE / 2) {
		free(text);
		return;
	}
	if (q->n == MAX_QUEUE) {
		/* nobody will read that much: a flood */
		free(text);
		if (!flooded) {
			flooded = true;
			kill(pid, SIGKILL);
		}
		return;
	}
	q->items[(q->head + q->n++) % MAX_QUEUE] = (struct line){ text, err };
}

bool pop(struct queue *q, struct line *l)
{
	if (!q->n)
		return false;
	*l = q->items[q->head];
	q->head = (q->head + 1) % MAX_QUEUE;
	q->n--;
	return true;
}

static void add_line(const char *s, size_t len, bool err)
{
	char *t = strndup(s, len);

	transcribe(s, len, err);
	if (!err)
		lines_seen++;
	if (t)
		push(&fresh, t, err);
}

static void take(int fd, bool err)
{
	char buf[8192];
	char *part = partial[err];
	size_t *plen = &partial_len[err];
	ssize_t k = read(fd, buf, sizeof(buf));

	if (k < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (k <= 0) {
		if (*plen)
			add_line(part, *plen, err);
		*plen = 0;
		*(err ? &err_eof : &out_eof) = true;
		return;
	}
	total_out += (uint64_t)k;
	if (!err)
		stdout_bytes += (uint64_t)k;
	if (stdout_bytes > FLOOD && !flooded) {
		flooded = true;
		kill(pid, SIGKILL);
	}
	for (ssize_t i = 0; i < k; i++) {
		if (buf[i] == '\n' || *plen == MAX_LINE) {
			add_line(part, *plen, err);
			*plen = 0;
			if (buf[i] == '\n')
				continue;
		}
		part[(*plen)++] = buf[i];
	}
}

void check_exit(void)
{
	if (!exited && waitpid(pid, &status, WNOHANG) == pid)
		exited = true;
}

void pump(double until)
{
	struct pollfd p[6];
	int kfds[3], nk = kernel_fds(kfds, 3), n = 0, wait;
	double left = until - now_ms();

	check_exit();
	if (out_fd >= 0 && !out_eof)
		p[n++] = (struct pollfd){ .fd = out_fd, .events = POLLIN };
	if (err_fd >= 0 && !err_eof)
		p[n++] = (struct pollfd){ .fd = err_fd, .events = POLLIN };
	for (int i = 0; i < nk; i++)
		p[n++] = (struct pollfd){ .fd = kfds[i], .events = POLLIN };
	/* Exits are noticed by polling: wake at least every 2 ms. */
	wait = left <= 0 ? 0 : left > 2 ? 2 : (int)left + 1;
	if (poll(p, (nfds_t)n, wait) <= 0)
		return;
	for (int i = 0; i < n; i++) {
		if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		if (p[i].fd == out_fd || p[i].fd == err_fd)
			take(p[i].fd, p[i].fd == err_fd);
		else
			kernel_ready(p[i].fd);
	}
}

void drain(void)
{
	for (int i = 0; i < 64; i++) {
		uint64_t before = total_out;
		pump(now_ms());
		if (total_out == before)
			break;
	}
}

const char *ending(void)
{
	static char text[160];

	if (flooded)
		return "the program flooded its stdout (more than 8 MiB, or "
		       "65536 lines no step had read yet) and was stopped";
	if (!exited)
		return "the program closed its output";
	if (WIFSIGNALED(status))
		snprintf(text, sizeof(text), "the program was killed by SIG%s",
		         sigabbrev_np(WTERMSIG(status))
		             ? sigabbrev_np(WTERMSIG(status))
		             : "?");
	else
		snprintf(text, sizeof(text),
		         "the program exited with status %d",
		         WEXITSTATUS(status));
	return text;
}

int next_line(double until, bool either, struct line *l)
{
	for (;;) {
		while (pop(&fresh, l)) {
			if (!l->err || either)
				return 1;
			free(l->text);
		}
		if (out_eof && (either ? err_eof : true)) {
			/* closed: it is exiting; give it a moment to say how */
			double grace = now_ms() + 200;
			check_exit();
			while (!exited && now_ms() < grace)
				pump(now_ms() + 1);
			return -1;
		}
		if (now_ms() >= until)
			return 0;
		pump(until);
	}
}

void transcript_report(void)
{
	putf("transcript %zu %zu\n", transcript_len, transcript_dropped);
	put(transcript, transcript_len);
}
