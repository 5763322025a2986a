#include "ring_layout.h"

#include <semaphore.h>
#include <stdio.h>
#include <string.h>

#include "shmring_ring.h" /* the contract's ring.h; a test keeps it equal */

#define FIELD(name, kind)                                                      \
	{                                                                      \
#name, offsetof(struct ring, name),                            \
		    sizeof(((struct ring *)0)->name), kind                     \
	}

static const struct ring_field posix_fields[] = {
	FIELD(mutex, RING_SEM), FIELD(empty, RING_SEM), FIELD(full, RING_SEM),
	FIELD(head, RING_U32),  FIELD(tail, RING_U32),  { NULL, 0, 0, 0 },
};

const struct ring_layout posix_ring_layout = {
	.header = offsetof(struct ring, slot),
	.magic_off = offsetof(struct ring, magic),
	.magic = RING_MAGIC,
	.fields = posix_fields,
};

_Static_assert(offsetof(struct ring, slot) <= RING_HEADER_MAX,
               "the header must fit RING_HEADER_MAX");

int ring_field_at(const struct ring_layout *l, unsigned long off)
{
	for (int i = 0; l->fields[i].name; i++)
		if (off >= l->fields[i].off &&
		    off < l->fields[i].off + l->fields[i].size)
			return i;
	return -1;
}

int ring_sem_read(const struct ring_layout *l, const unsigned char *hdr, int f,
                  struct ring_sem *s)
{
	const unsigned char *p;
	uint64_t data;
	int priv;

	memset(s, 0, sizeof(*s));
	if (f < 0 || l->fields[f].kind != RING_SEM)
		return -1;
	p = hdr + l->fields[f].off;
	/* glibc with 64-bit atomics: uint64_t data (value in the low half,
	 * waiters in the high half), then int private, which holds the flag
	 * XORed into futex calls: FUTEX_PRIVATE_FLAG (128) when pshared was
	 * 1, 0 when it was 0. */
	memcpy(&data, p, sizeof(data));
	memcpy(&priv, p + 8, sizeof(priv));
	s->value = (uint32_t)data;
	s->waiters = (uint32_t)(data >> 32);
	s->private_ = priv == 0;
	return 0;
}

size_t ring_describe(const struct ring_layout *l, const unsigned char *hdr,
                     char *buf, size_t n)
{
	size_t len = 0;
	uint32_t magic;

	if (!n)
		return 0;
	buf[0] = '\0';
	memcpy(&magic, hdr + l->magic_off, sizeof(magic));
	len += (size_t)snprintf(
	    buf, n, "%s", magic == l->magic ? "magic set" : "magic not set");
	for (int i = 0; l->fields[i].name && len < n; i++) {
		struct ring_sem s;
		uint32_t v;
		if (l->fields[i].kind == RING_SEM) {
			ring_sem_read(l, hdr, i, &s);
			v = s.value;
		} else {
			memcpy(&v, hdr + l->fields[i].off, sizeof(v));
		}
		len += (size_t)snprintf(buf + len, n - len, ", %s %u",
		                        l->fields[i].name, v);
	}
	return len < n ? len : n - 1;
}
