/*
 * consumer.c - shmring consumer.
 *
 *   ./consumer [-p P] NAME
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
 * Waits for the object a producer creates, in three stages:
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

static void write_fully(int fd, const unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			die("write");
		p += w;
		n -= w;
	}
}

int main(int argc, char *argv[])
{
	static unsigned char data[RING_SLOT_SIZE];
	int fds[64] = { STDOUT_FILENO };
	long producers = 1;
	int use_files = 0;
	int opt, left;
	struct ring *r;

	while ((opt = getopt(argc, argv, "p:")) != -1) {
		if (opt != 'p')
			goto usage;
		producers = strtol(optarg, NULL, 10);
		use_files = 1;
	}
	if (argc - optind != 1 || producers < 1 || producers > 64)
		goto usage;

	for (int k = 0; use_files && k < producers; k++) {
		char name[16];

		snprintf(name, sizeof(name), "out.%d", k);
		fds[k] = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fds[k] < 0)
			die(name);
	}

	r = wait_ready(argv[optind]);

	left = producers;
	while (left > 0) {
		uint32_t len, who;

		sem_take(&r->full);
		sem_take(&r->mutex);
		len = r->slot[r->tail].len;
		who = r->slot[r->tail].producer;
		if (len <= RING_SLOT_SIZE)
			memcpy(data, r->slot[r->tail].data, len);
		r->tail = (r->tail + 1) % RING_SLOTS;
		sem_give(&r->mutex);
		sem_give(&r->empty);

		if (!use_files)
			who = 0;
		if (len > RING_SLOT_SIZE || who >= (uint32_t)producers) {
			fprintf(stderr, "consumer: corrupt slot\n");
			return EXIT_FAILURE;
		}
		if (len == 0)
			left--;
		else
			write_fully(fds[who], data, len);
	}

	if (shm_unlink(argv[optind]) < 0)
		die("shm_unlink");
	munmap(r, sizeof(*r));
	for (int k = 0; use_files && k < producers; k++)
		close(fds[k]);
	return EXIT_SUCCESS;

usage:
	fprintf(stderr, "usage: %s [-p P] NAME\n", argv[0]);
	return EXIT_FAILURE;
}
