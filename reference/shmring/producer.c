/*
 * producer.c - pass standard input through the shared-memory ring NAME.
 *
 *   ./producer [-i K] NAME
 *
 * Reference solution of the shmring assignment. The plan:
 *
 *   1. Attach to the object NAME. The process whose shm_open(O_CREAT |
 *      O_EXCL) succeeds creates it and initialises the ring, magic last.
 *      Everyone else (the consumer, or a producer that lost that race)
 *      waits, sleeping between looks, until magic is set.
 *   2. Read stdin in chunks of up to RING_SLOT_SIZE bytes; each chunk goes
 *      into one slot tagged with our index K (the bounded buffer: wait on
 *      empty, fill a slot under mutex, post full).
 *   3. At end-of-file put one more slot, of length 0: our end marker.
 *
 * The consumer removes the object once every producer has finished, so
 * the producer only unmaps it.
 *
 * Grading aid, not part of the assignment: "-w MS" makes the creator
 * sleep MS milliseconds after each step of the initialisation, so that
 * the grader can catch a consumer that uses the object before magic is
 * set. Students do not implement it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ring.h"

/* How long a waiting process sleeps between two looks at the object. */
#define POLL_MS 10

static _Noreturn void die(const char *what)
{
	perror(what);
	exit(1);
}

static _Noreturn void usage(const char *prog)
{
	fprintf(stderr, "usage: %s [-i K] NAME\n", prog);
	exit(1);
}

/* Parses a decimal number in 0..@max; exits with a message otherwise. */
static unsigned long parse_number(const char *prog, const char *s,
                                  unsigned long max)
{
	unsigned long n;
	char *end;

	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || n > max) {
		fprintf(stderr, "%s: bad number '%s'\n", prog, s);
		exit(1);
	}
	return n;
}

/* Sleeps @ms milliseconds; a signal does not cut the sleep short. */
static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000L };

	if (ms <= 0)
		return;
	while (nanosleep(&ts, &ts) < 0)
		if (errno != EINTR)
			die("nanosleep");
}

/* sem_wait() that retries when a signal interrupts it. */
static void sem_wait_retry(sem_t *s)
{
	while (sem_wait(s) < 0)
		if (errno != EINTR)
			die("sem_wait");
}

static void sem_post_checked(sem_t *s)
{
	if (sem_post(s) < 0)
		die("sem_post");
}

/*
 * Initialises the ring in the object @fd that we have just created (it is
 * still empty: size 0). The others wait for magic, so it is stored last
 * and with release order: a process that reads RING_MAGIC with an acquire
 * load is guaranteed to see every store made before it. @pause_ms is the
 * -w grading aid (0: no pauses). Returns the mapping.
 */
static struct ring *ring_create(int fd, long pause_ms)
{
	struct ring *r;

	sleep_ms(pause_ms);
	if (ftruncate(fd, sizeof(*r)) < 0)
		die("ftruncate");
	sleep_ms(pause_ms);

	r = mmap(NULL, sizeof(*r), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (r == MAP_FAILED)
		die("mmap");
	/*
	 * pshared = 1: the semaphores live in shared memory and are used by
	 * several processes. With 0, a process blocked in sem_wait() would
	 * never be woken by another process's sem_post().
	 */
	if (sem_init(&r->mutex, 1, 1) < 0 ||
	    sem_init(&r->empty, 1, RING_SLOTS) < 0 ||
	    sem_init(&r->full, 1, 0) < 0)
		die("sem_init");
	r->head = 0;
	r->tail = 0;
	sleep_ms(pause_ms);

	__atomic_store_n(&r->magic, RING_MAGIC, __ATOMIC_RELEASE);
	return r;
}

/*
 * Opens an object that another process creates, and waits until it is
 * ready: until it exists, then until it has its full size (touching a
 * mapping beyond the end of the object raises SIGBUS), then until magic
 * is set. Every wait sleeps between looks: it never spins.
 */
static struct ring *ring_attach(const char *name)
{
	struct ring *r;
	struct stat st;
	int fd;

	while ((fd = shm_open(name, O_RDWR, 0)) < 0) {
		if (errno != ENOENT)
			die("shm_open");
		sleep_ms(POLL_MS);
	}
	for (;;) {
		if (fstat(fd, &st) < 0)
			die("fstat");
		if (st.st_size >= (off_t)sizeof(*r))
			break;
		sleep_ms(POLL_MS);
	}

	r = mmap(NULL, sizeof(*r), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (r == MAP_FAILED)
		die("mmap");
	close(fd); /* the mapping stays valid */

	while (__atomic_load_n(&r->magic, __ATOMIC_ACQUIRE) != RING_MAGIC)
		sleep_ms(POLL_MS);
	return r;
}

/*
 * Returns the ring NAME, ready to use: creates it if it does not exist
 * yet (O_EXCL: of several producers started together exactly one wins),
 * otherwise waits for whoever is creating it.
 */
static struct ring *ring_open(const char *name, long pause_ms)
{
	struct ring *r;
	int fd;

	fd = shm_open(name, O_CREAT | O_EXCL | O_RDWR, 0600);
	if (fd < 0) {
		if (errno != EEXIST)
			die("shm_open");
		return ring_attach(name);
	}
	r = ring_create(fd, pause_ms);
	close(fd);
	return r;
}

/*
 * Puts one record of @len bytes (0: the end marker) into the ring. The
 * slot is filled while holding mutex, so that two producers never fill
 * the same slot, and a slot is complete before anyone can post full
 * for it (or for a slot after it).
 */
static void ring_put(struct ring *r, uint32_t id, const void *buf, uint32_t len)
{
	struct ring_slot *s;

	sem_wait_retry(&r->empty); /* wait for a free slot */
	sem_wait_retry(&r->mutex);
	s = &r->slot[r->head];
	s->len = len;
	s->producer = id;
	memcpy(s->data, buf, len);
	r->head = (r->head + 1) % RING_SLOTS;
	sem_post_checked(&r->mutex);
	sem_post_checked(&r->full); /* one more slot for the consumer */
}

int main(int argc, char *argv[])
{
	unsigned char buf[RING_SLOT_SIZE];
	uint32_t id = 0;
	long pause_ms = 0;
	struct ring *r;
	ssize_t n;
	int opt;

	while ((opt = getopt(argc, argv, "i:w:")) != -1) {
		switch (opt) {
		case 'i':
			id = parse_number(argv[0], optarg, UINT32_MAX);
			break;
		case 'w':
			pause_ms = parse_number(argv[0], optarg, 60000);
			break;
		default:
			usage(argv[0]);
		}
	}
	if (optind != argc - 1)
		usage(argv[0]);

	r = ring_open(argv[optind], pause_ms);

	/* One read() is one slot: a short read just gives a shorter slot. */
	for (;;) {
		n = read(STDIN_FILENO, buf, sizeof(buf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("read");
		}
		if (n == 0)
			break;
		ring_put(r, id, buf, n);
	}
	ring_put(r, id, buf, 0); /* end marker */

	if (munmap(r, sizeof(*r)) < 0)
		die("munmap");
	return 0;
}
