/*
 * producer.c - copies stdin into the shared ring.
 * usage: ./producer [-i K] NAME
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ring.h"

static void fail(const char *msg)
{
	perror(msg);
	exit(1);
}

static void pause_10ms(void)
{
	struct timespec t = { 0, 10 * 1000 * 1000 };

	nanosleep(&t, NULL);
}

/* down / up on a semaphore */
static void down(sem_t *s)
{
	while (sem_wait(s) == -1) {
		if (errno != EINTR)
			fail("sem_wait");
	}
}

static void up(sem_t *s)
{
	if (sem_post(s) == -1)
		fail("sem_post");
}

static struct ring *map_ring(int fd)
{
	void *p = mmap(NULL, sizeof(struct ring), PROT_READ | PROT_WRITE,
	               MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		fail("mmap");
	close(fd);
	return p;
}

/* We created the object: set everything up, magic goes last. */
static struct ring *init_ring(int fd)
{
	struct ring *r;

	if (ftruncate(fd, sizeof(struct ring)) == -1)
		fail("ftruncate");
	r = map_ring(fd);
	if (sem_init(&r->mutex, 1, 1) == -1)
		fail("sem_init mutex");
	if (sem_init(&r->empty, 1, RING_SLOTS) == -1)
		fail("sem_init empty");
	if (sem_init(&r->full, 1, 0) == -1)
		fail("sem_init full");
	r->head = 0;
	r->tail = 0;
	__atomic_store_n(&r->magic, RING_MAGIC, __ATOMIC_RELEASE);
	return r;
}

/* Somebody else creates the object: wait until it is ready. */
static struct ring *join_ring(const char *name)
{
	struct stat st;
	struct ring *r;
	int fd;

	for (;;) {
		fd = shm_open(name, O_RDWR, 0);
		if (fd != -1)
			break;
		if (errno != ENOENT)
			fail("shm_open");
		pause_10ms();
	}
	for (;;) {
		if (fstat(fd, &st) == -1)
			fail("fstat");
		if ((size_t)st.st_size >= sizeof(struct ring))
			break;
		pause_10ms();
	}
	r = map_ring(fd);
	while (__atomic_load_n(&r->magic, __ATOMIC_ACQUIRE) != RING_MAGIC)
		pause_10ms();
	return r;
}

/* Reads up to len bytes; stops early only at end of input. */
static size_t read_chunk(unsigned char *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(0, buf + got, len - got);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			fail("read");
		}
		if (n == 0)
			break;
		got += n;
	}
	return got;
}

static void send_slot(struct ring *r, unsigned id, unsigned char *buf,
                      size_t len)
{
	struct ring_slot *s;

	down(&r->empty);
	down(&r->mutex);
	s = &r->slot[r->head];
	s->len = len;
	s->producer = id;
	memcpy(s->data, buf, len);
	r->head = (r->head + 1) % RING_SLOTS;
	up(&r->mutex);
	up(&r->full);
}

int main(int argc, char **argv)
{
	unsigned char buf[RING_SLOT_SIZE];
	unsigned id = 0;
	struct ring *r;
	size_t n;
	int fd, c;

	while ((c = getopt(argc, argv, "i:")) != -1) {
		if (c == 'i') {
			id = atoi(optarg);
		} else {
			fprintf(stderr, "usage: %s [-i K] NAME\n", argv[0]);
			return 1;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: %s [-i K] NAME\n", argv[0]);
		return 1;
	}

	fd = shm_open(argv[optind], O_CREAT | O_EXCL | O_RDWR, 0600);
	if (fd != -1)
		r = init_ring(fd);
	else if (errno == EEXIST)
		r = join_ring(argv[optind]);
	else
		fail("shm_open");

	do {
		n = read_chunk(buf, sizeof(buf));
		send_slot(r, id, buf, n); /* the last one has n == 0 */
	} while (n > 0);

	munmap(r, sizeof(struct ring));
	return 0;
}
