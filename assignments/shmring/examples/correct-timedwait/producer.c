/*
 * producer.c - shmring producer.
 *
 *   ./producer [-i K] NAME
 *
 * Semaphore waits use sem_timedwait() with a 50 ms timeout in a loop, so
 * the process wakes up now and then instead of blocking for good.
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

#define WAIT_MS 50
#define POLL_MS 10

static void die(const char *what)
{
	perror(what);
	exit(EXIT_FAILURE);
}

static void nap(long ms)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = ms * 1000000L };

	nanosleep(&ts, NULL);
}

/* Waits on s, waking up every WAIT_MS to try again. */
static void sem_take(sem_t *s)
{
	struct timespec deadline;

	for (;;) {
		clock_gettime(CLOCK_REALTIME, &deadline);
		deadline.tv_nsec += WAIT_MS * 1000000L;
		if (deadline.tv_nsec >= 1000000000L) {
			deadline.tv_sec++;
			deadline.tv_nsec -= 1000000000L;
		}
		if (sem_timedwait(s, &deadline) == 0)
			return;
		if (errno != ETIMEDOUT && errno != EINTR)
			die("sem_timedwait");
	}
}

static void sem_give(sem_t *s)
{
	if (sem_post(s) < 0)
		die("sem_post");
}

/*
 * Waits for an object created by someone else, in three stages:
 * it exists, it is big enough, magic is set.
 */
static struct ring *wait_ready(const char *name)
{
	struct ring *r = NULL;
	struct stat st;
	int stage = 0;
	int fd = -1;

	while (stage < 3) {
		switch (stage) {
		case 0:
			fd = shm_open(name, O_RDWR, 0);
			if (fd >= 0)
				stage = 1;
			else if (errno != ENOENT)
				die("shm_open");
			break;
		case 1:
			if (fstat(fd, &st) < 0)
				die("fstat");
			if (st.st_size < (off_t)sizeof(*r))
				break;
			r = mmap(NULL, sizeof(*r), PROT_READ | PROT_WRITE,
			         MAP_SHARED, fd, 0);
			if (r == MAP_FAILED)
				die("mmap");
			close(fd);
			stage = 2;
			break;
		case 2:
			if (__atomic_load_n(&r->magic, __ATOMIC_ACQUIRE) ==
			    RING_MAGIC)
				stage = 3;
			break;
		}
		if (stage < 3)
			nap(POLL_MS);
	}
	return r;
}

static struct ring *create_or_join(const char *name)
{
	struct ring *r;
	int fd;

	fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			return wait_ready(name);
		die("shm_open");
	}

	if (ftruncate(fd, sizeof(*r)) < 0)
		die("ftruncate");
	r = mmap(NULL, sizeof(*r), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (r == MAP_FAILED)
		die("mmap");
	close(fd);

	if (sem_init(&r->mutex, 1, 1) < 0 ||
	    sem_init(&r->empty, 1, RING_SLOTS) < 0 ||
	    sem_init(&r->full, 1, 0) < 0)
		die("sem_init");
	r->head = r->tail = 0;
	__atomic_store_n(&r->magic, RING_MAGIC, __ATOMIC_RELEASE);
	return r;
}

int main(int argc, char *argv[])
{
	unsigned char chunk[RING_SLOT_SIZE];
	unsigned long index = 0;
	int opt, finished = 0;
	struct ring *r;

	while ((opt = getopt(argc, argv, "i:")) != -1) {
		if (opt != 'i')
			goto usage;
		index = strtoul(optarg, NULL, 10);
	}
	if (argc - optind != 1)
		goto usage;

	r = create_or_join(argv[optind]);

	while (!finished) {
		ssize_t n = read(STDIN_FILENO, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("read");
		finished = (n == 0);

		sem_take(&r->empty);
		sem_take(&r->mutex);
		r->slot[r->head].len = (uint32_t)n;
		r->slot[r->head].producer = (uint32_t)index;
		memcpy(r->slot[r->head].data, chunk, n);
		r->head = (r->head + 1) % RING_SLOTS;
		sem_give(&r->mutex);
		sem_give(&r->full);
	}

	munmap(r, sizeof(*r));
	return EXIT_SUCCESS;

usage:
	fprintf(stderr, "usage: %s [-i K] NAME\n", argv[0]);
	return EXIT_FAILURE;
}
