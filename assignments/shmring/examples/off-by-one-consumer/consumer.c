/*
 * consumer.c - takes the data out of the shared ring.
 * usage: ./consumer [-p P] NAME
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

/* Waits until a producer has created and set up the ring. */
static struct ring *join_ring(const char *name)
{
	struct stat st;
	void *p;
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
	p = mmap(NULL, sizeof(struct ring), PROT_READ | PROT_WRITE, MAP_SHARED,
	         fd, 0);
	if (p == MAP_FAILED)
		fail("mmap");
	close(fd);

	struct ring *r = p;
	while (__atomic_load_n(&r->magic, __ATOMIC_ACQUIRE) != RING_MAGIC)
		pause_10ms();
	return r;
}

int main(int argc, char **argv)
{
	static struct ring_slot s;
	FILE **out;
	int nprod = 1, files = 0, done = 0, c;
	struct ring *r;

	while ((c = getopt(argc, argv, "p:")) != -1) {
		if (c == 'p') {
			nprod = atoi(optarg);
			files = 1;
		} else {
			fprintf(stderr, "usage: %s [-p P] NAME\n", argv[0]);
			return 1;
		}
	}
	if (optind >= argc || nprod < 1) {
		fprintf(stderr, "usage: %s [-p P] NAME\n", argv[0]);
		return 1;
	}

	out = calloc(nprod, sizeof(*out));
	if (!out)
		fail("calloc");
	if (files) {
		for (int i = 0; i < nprod; i++) {
			char fname[32];

			sprintf(fname, "out.%d", i);
			out[i] = fopen(fname, "w");
			if (!out[i])
				fail(fname);
		}
	} else {
		out[0] = stdout;
	}

	r = join_ring(argv[optind]);

	while (done < nprod) {
		down(&r->full);
		down(&r->mutex);
		memcpy(&s, &r->slot[r->tail], sizeof(s));
		if (++r->tail == RING_SLOTS - 1)
			r->tail = 0;
		up(&r->mutex);
		up(&r->empty);

		int k = files ? (int)s.producer : 0;
		if (k >= nprod || s.len > RING_SLOT_SIZE) {
			fprintf(stderr, "consumer: bad slot\n");
			return 1;
		}
		if (s.len == 0) {
			done++;
			continue;
		}
		if (fwrite(s.data, 1, s.len, out[k]) != s.len)
			fail("fwrite");
	}

	if (shm_unlink(argv[optind]) == -1)
		fail("shm_unlink");
	munmap(r, sizeof(struct ring));

	for (int i = 0; i < nprod; i++) {
		if (fclose(out[i]) == EOF)
			fail("fclose");
	}
	free(out);
	return 0;
}
