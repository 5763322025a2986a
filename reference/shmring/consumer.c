/*
 * consumer.c - take the bytes out of the shared-memory ring NAME.
 *
 *   ./consumer [-p P] NAME
 *
 * Reference solution of the shmring assignment. The plan:
 *
 *   1. Wait, sleeping between looks, until a producer has created the
 *      object NAME and initialised it (magic set), then map it.
 *   2. Take the slots out in order (the bounded buffer: wait on full, copy
 *      a slot out under mutex, post empty) and write each one's bytes: to
 *      stdout, or with -p to the file out.K of the producer K that sent
 *      it. A slot of length 0 is a producer's end marker.
 *   3. After P end markers (1 without -p) every producer is done: remove
 *      the object (shm_unlink) and unmap it.
 *
 * Without -p there is a single producer, so every slot goes to stdout
 * whatever its producer field says.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ring.h"

/* How long we sleep between two looks at the object. */
#define POLL_MS 10

/* Largest -p: each producer has a file open at the same time. */
#define MAX_PRODUCERS 128

static _Noreturn void die(const char *what)
{
	perror(what);
	exit(1);
}

static _Noreturn void usage(const char *prog)
{
	fprintf(stderr, "usage: %s [-p P] NAME\n", prog);
	exit(1);
}

/* Parses a decimal number in 1..@max; exits with a message otherwise. */
static unsigned long parse_count(const char *prog, const char *s,
                                 unsigned long max)
{
	unsigned long n;
	char *end;

	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || n < 1 || n > max) {
		fprintf(stderr, "%s: bad number '%s'\n", prog, s);
		exit(1);
	}
	return n;
}

/* Sleeps @ms milliseconds; a signal does not cut the sleep short. */
static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000L };

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

/* Writes all @len bytes of @buf to @fd, however many write() calls it takes. */
static void write_all(int fd, const unsigned char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, buf, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("write");
		}
		buf += n;
		len -= n;
	}
}

/*
 * Opens the object NAME, which a producer creates, and waits until it is
 * ready: until it exists, then until it has its full size (touching a
 * mapping beyond the end of the object raises SIGBUS), then until magic
 * is set (acquire load: it pairs with the creator's release store, so the
 * semaphores, head and tail are initialised when we see it). Every wait
 * sleeps between looks: it never spins.
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
 * Takes the next record out of the ring into @rec (a private copy, so
 * that the slot can be reused at once while we write the data out).
 */
static void ring_take(struct ring *r, struct ring_slot *rec)
{
	const struct ring_slot *s;

	sem_wait_retry(&r->full); /* wait for a filled slot */
	sem_wait_retry(&r->mutex);
	s = &r->slot[r->tail];
	rec->len = s->len;
	rec->producer = s->producer;
	if (rec->len <= RING_SLOT_SIZE)
		memcpy(rec->data, s->data, rec->len);
	r->tail = (r->tail + 1) % RING_SLOTS;
	sem_post_checked(&r->mutex);
	sem_post_checked(&r->empty); /* the slot is free again */
}

int main(int argc, char *argv[])
{
	static struct ring_slot rec; /* 4 KiB: not on the stack */
	int out[MAX_PRODUCERS];
	bool with_files = false;
	unsigned long nprod = 1, ended = 0, k;
	const char *name;
	struct ring *r;
	int opt;

	while ((opt = getopt(argc, argv, "p:")) != -1) {
		if (opt != 'p')
			usage(argv[0]);
		nprod = parse_count(argv[0], optarg, MAX_PRODUCERS);
		with_files = true;
	}
	if (optind != argc - 1)
		usage(argv[0]);
	name = argv[optind];

	/* Every out.K exists at the end, even if producer K sent nothing. */
	out[0] = STDOUT_FILENO;
	for (k = 0; with_files && k < nprod; k++) {
		char path[32];

		snprintf(path, sizeof(path), "out.%lu", k);
		out[k] =
		    open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (out[k] < 0)
			die(path);
	}

	r = ring_attach(name);

	while (ended < nprod) {
		ring_take(r, &rec);
		k = with_files ? rec.producer : 0;
		if (rec.len > RING_SLOT_SIZE || k >= nprod) {
			fprintf(stderr, "%s: bad record: len %u, producer %u\n",
			        argv[0], rec.len, rec.producer);
			exit(1);
		}
		if (rec.len == 0)
			ended++; /* producer k is done */
		else
			write_all(out[k], rec.data, rec.len);
	}

	/* Every producer is done: nobody needs the object any more. */
	if (shm_unlink(name) < 0)
		die("shm_unlink");
	if (munmap(r, sizeof(*r)) < 0)
		die("munmap");
	for (k = 0; with_files && k < nprod; k++)
		if (close(out[k]) < 0)
			die("close");
	return 0;
}
