/*
 * probe.h - what the in-sandbox runners (conduct, trace) share: reading
 * the plan on stdin, splitting and %XX-decoding its words, the clock, and
 * writing the report on stdout. Header-only: each runner is one program.
 * Set probe_name before calling die().
 */
#ifndef GRADERS_PROBES_PROBE_H
#define GRADERS_PROBES_PROBE_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* One of each per program, even one of several files (trace). */
__attribute__((weak)) const char *probe_name = "probe";
__attribute__((weak)) double probe_t0;

static inline void die(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

static inline void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", probe_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(100);
}

/* Milliseconds since probe_start_clock(). */
static inline double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6 - probe_t0;
}

static inline void probe_start_clock(void)
{
	probe_t0 = 0;
	probe_t0 = now_ms();
}

/* %XX-decode s in place. */
static inline char *unescape(char *s)
{
	char *w = s;

	for (char *r = s; *r; r++) {
		unsigned v;
		if (*r == '%' && sscanf(r + 1, "%2x", &v) == 1) {
			*w++ = (char)v;
			r += 2;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
	return s;
}

/* All of stdin, NUL-terminated, at most max bytes. */
static inline void read_all(unsigned char **data, size_t *len, size_t max)
{
	size_t cap = 1 << 16, n = 0;
	unsigned char *p = malloc(cap + 1);
	ssize_t k;

	while (p) {
		if (n == cap) {
			if (cap >= max)
				die("plan too large");
			cap *= 2;
			p = realloc(p, cap + 1);
			if (!p)
				break;
		}
		k = read(0, p + n, cap - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			die("reading the plan: %s", strerror(errno));
		if (k == 0)
			break;
		n += (size_t)k;
	}
	if (!p)
		die("out of memory");
	p[n] = '\0';
	*data = p;
	*len = n;
}

/* Split line into words (in place). */
static inline int words(char *line, char **w, int max)
{
	int n = 0;

	for (char *save = NULL, *t = strtok_r(line, " ", &save); t && n < max;
	     t = strtok_r(NULL, " ", &save))
		w[n++] = t;
	return n;
}

/* The report: all of it or exit (the harness sees it incomplete). */
static inline void put(const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t k = write(1, p, len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			exit(101);
		p += k;
		len -= (size_t)k;
	}
}

static inline void putf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* One line of the report, whatever the text: a newline inside becomes a
 * space, and one cut short still ends the line. */
static inline void putf(const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	size_t len;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	len = (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1;
	if ((size_t)n >= sizeof(line))
		line[len - 1] = '\n';
	for (size_t i = 0; i + 1 < len; i++)
		if (line[i] == '\n')
			line[i] = ' ';
	put(line, len);
}

/* One word of the report: bytes that would split it as %XX. */
static inline void put_word(const char *s, size_t len)
{
	char esc[4];

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= ' ' || c == '%' || c >= 0x7f) {
			snprintf(esc, sizeof(esc), "%%%02X", c);
			put(esc, 3);
		} else {
			put(&s[i], 1);
		}
	}
}

#endif
