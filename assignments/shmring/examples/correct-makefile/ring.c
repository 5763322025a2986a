/*
 * ring.c - opening the shared ring and moving slots in and out of it.
 */
#include "ring_util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void die(const char *msg)
{
	perror(msg);
	exit(1);
}

static void sleep_a_bit(void)
{
	struct timespec ts = { 0, 10000000 }; /* 10 ms */

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static void P(sem_t *s)
{
	while (sem_wait(s) == -1)
		if (errno != EINTR)
			die("sem_wait");
}

static void V(sem_t *s)
{
	if (sem_post(s) == -1)
		die("sem_post");
}

static struct ring *map_fd(int fd)
{
	struct ring *r = mmap(NULL, sizeof(struct ring), PROT_READ | PROT_WRITE,
	                      MAP_SHARED, fd, 0);

	if (r == MAP_FAILED)
		die("mmap");
	close(fd);
	return r;
}

struct ring *ring_attach(const char *name)
{
	struct stat st;
	struct ring *r;
	int fd;

	while ((fd = shm_open(name, O_RDWR, 0)) == -1) {
		if (errno != ENOENT)
			die("shm_open");
		sleep_a_bit();
	}

	do {
		if (fstat(fd, &st) == -1)
			die("fstat");
		if (st.st_size < (off_t)sizeof(struct ring))
			sleep_a_bit();
	} while (st.st_size < (off_t)sizeof(struct ring));

	r = map_fd(fd);
	while (__atomic_load_n(&r->magic, __ATOMIC_ACQUIRE) != RING_MAGIC)
		sleep_a_bit();
	return r;
}

struct ring *ring_create_or_attach(const char *name)
{
	struct ring *r;
	int fd;

	fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600);
	if (fd == -1 && errno == EEXIST)
		return ring_attach(name);
	if (fd == -1)
		die("shm_open");

	if (ftruncate(fd, sizeof(struct ring)) == -1)
		die("ftruncate");
	r = map_fd(fd);

	if (sem_init(&r->mutex, 1, 1) == -1)
		die("sem_init");
	if (sem_init(&r->empty, 1, RING_SLOTS) == -1)
		die("sem_init");
	if (sem_init(&r->full, 1, 0) == -1)
		die("sem_init");
	r->head = 0;
	r->tail = 0;

	/* everything above must be visible before magic */
	__atomic_store_n(&r->magic, RING_MAGIC, __ATOMIC_RELEASE);
	return r;
}

void ring_put(struct ring *r, uint32_t id, const void *data, uint32_t len)
{
	struct ring_slot *slot;

	P(&r->empty);
	P(&r->mutex);
	slot = &r->slot[r->head];
	slot->len = len;
	slot->producer = id;
	if (len > 0)
		memcpy(slot->data, data, len);
	r->head = (r->head + 1) % RING_SLOTS;
	V(&r->mutex);
	V(&r->full);
}

uint32_t ring_get(struct ring *r, uint32_t *id, void *buf)
{
	struct ring_slot *slot;
	uint32_t len;

	P(&r->full);
	P(&r->mutex);
	slot = &r->slot[r->tail];
	len = slot->len;
	*id = slot->producer;
	if (len > RING_SLOT_SIZE)
		len = RING_SLOT_SIZE + 1; /* caller reports it */
	else
		memcpy(buf, slot->data, len);
	r->tail = (r->tail + 1) % RING_SLOTS;
	V(&r->mutex);
	V(&r->empty);
	return len;
}

void ring_detach(struct ring *r)
{
	if (munmap(r, sizeof(struct ring)) == -1)
		die("munmap");
}
