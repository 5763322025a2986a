/*
 * ring_layout.h - where a ring's semaphores and indices sit in its shared
 * object, so a driver can read them out of a live mapping and say who
 * waits on what. posix_ring_layout is the shmring contract's struct ring;
 * another variant (System V, say) adds its own table.
 */
#ifndef GRADERS_RING_LAYOUT_H
#define GRADERS_RING_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RING_HEADER_MAX 256

enum ring_field_kind {
	RING_SEM,
	RING_U32
};

struct ring_field {
	const char *name;
	size_t off, size;
	enum ring_field_kind kind;
};

struct ring_layout {
	size_t header; /* bytes read from the start of the mapping */
	size_t magic_off;
	uint32_t magic;
	const struct ring_field *fields; /* ends with a NULL name */
};

/* A process-shared glibc semaphore as it sits in memory. */
struct ring_sem {
	uint32_t value, waiters;
	bool private_; /* initialised with pshared = 0 */
};

extern const struct ring_layout posix_ring_layout;

/* The field holding byte off of the object, or -1. */
int ring_field_at(const struct ring_layout *l, unsigned long off);
/* Decode semaphore field f of header hdr; 0, or -1 if f is no semaphore. */
int ring_sem_read(const struct ring_layout *l, const unsigned char *hdr, int f,
                  struct ring_sem *s);
/* "magic set, mutex 1, empty 0, full 16, head 3, tail 3" into buf;
 * returns the length written (less than n). */
size_t ring_describe(const struct ring_layout *l, const unsigned char *hdr,
                     char *buf, size_t n);

#endif
