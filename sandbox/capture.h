/*
 * capture.h - keep a bounded copy of a stream: its head and its tail.
 *
 * capture_init(&c, cap), capture_add() as bytes arrive, then read c.data
 * (head, a "[... N bytes omitted ...]" marker, tail) after capture_finish().
 * capture_release() frees; a zero struct capture is valid and empty.
 */
#ifndef SANDBOX_CAPTURE_H
#define SANDBOX_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

struct capture {
	char *data;     /* after capture_finish(): NUL-terminated */
	size_t len;     /* bytes in data (may contain NULs) */
	uint64_t total; /* bytes seen in all */
	size_t cap;     /* head + tail kept at most */
	/* internal */
	char *tail; /* ring of cap / 2 bytes */
	size_t tail_pos;
};

int capture_init(struct capture *c, size_t cap); /* 0 or -ENOMEM */
void capture_add(struct capture *c, const void *buf, size_t n);
int capture_finish(struct capture *c); /* 0 or -ENOMEM */
void capture_release(struct capture *c);

#endif
