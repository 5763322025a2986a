#include "capture.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The head is stored in data (cap / 2 bytes, grown as needed); the tail is a
 * ring of cap - cap / 2 bytes holding the newest bytes once the head is full.
 */

int capture_init(struct capture *c, size_t cap)
{
	memset(c, 0, sizeof(*c));
	c->cap = cap < 2 ? 2 : cap;
	c->data = malloc(c->cap / 2 + 1);
	c->tail = malloc(c->cap - c->cap / 2);
	if (!c->data || !c->tail) {
		capture_release(c);
		return -ENOMEM;
	}
	return 0;
}

void capture_add(struct capture *c, const void *buf, size_t n)
{
	const char *p = buf;
	size_t head = c->cap / 2, ring = c->cap - head;

	if (!c->data)
		return;
	c->total += n;
	if (c->len < head) {
		size_t k = head - c->len < n ? head - c->len : n;
		memcpy(c->data + c->len, p, k);
		c->len += k;
		p += k;
		n -= k;
	}
	if (n >= ring) { /* only the newest ring bytes matter */
		p += n - ring;
		n = ring;
	}
	while (n) {
		size_t k = ring - c->tail_pos < n ? ring - c->tail_pos : n;
		memcpy(c->tail + c->tail_pos, p, k);
		c->tail_pos = (c->tail_pos + k) % ring;
		p += k;
		n -= k;
	}
}

int capture_finish(struct capture *c)
{
	size_t head = c->cap / 2, ring = c->cap - head;
	uint64_t after = c->total - c->len; /* bytes beyond the head */
	size_t tail_len = after < ring ? (size_t)after : ring;
	char marker[64] = "";
	char *out;

	if (!c->data)
		return 0;
	if (after > tail_len)
		snprintf(marker, sizeof(marker),
		         "\n[... %" PRIu64 " bytes omitted ...]\n",
		         after - tail_len);
	out = realloc(c->data, c->len + strlen(marker) + tail_len + 1);
	if (!out)
		return -ENOMEM;
	c->data = out;
	memcpy(out + c->len, marker, strlen(marker));
	c->len += strlen(marker);
	/* The ring's oldest byte sits at tail_pos once it has wrapped. */
	if (after > ring || (after == ring && c->tail_pos == 0)) {
		memcpy(out + c->len, c->tail + c->tail_pos, ring - c->tail_pos);
		memcpy(out + c->len + ring - c->tail_pos, c->tail, c->tail_pos);
	} else {
		memcpy(out + c->len, c->tail, tail_len);
	}
	c->len += tail_len;
	out[c->len] = '\0';
	free(c->tail);
	c->tail = NULL;
	return 0;
}

void capture_release(struct capture *c)
{
	free(c->data);
	free(c->tail);
	memset(c, 0, sizeof(*c));
}
