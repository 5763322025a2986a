/*
 * producer.c - pass standard input through the shared-memory ring NAME.
 *
 *   ./producer [-i K] NAME
 *
 * This skeleton compiles but does nothing yet: fill in the TODOs. Read
 * HANDOUT.md first; man pages: shm_open(3), ftruncate(2), mmap(2),
 * sem_init(3), sem_wait(3), sem_post(3), nanosleep(2), sem_overview(7),
 * shm_overview(7).
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

#include "ring.h" /* the layout of the object: do not change it */

int main(int argc, char *argv[])
{
	/*
	 * TODO: parse the options: "-i K" sets this producer's index
	 * (default 0); exactly one NAME must follow (getopt(3)).
	 */

	/*
	 * TODO: shm_open(NAME, O_CREAT | O_EXCL | O_RDWR, 0600).
	 *  - It succeeded: you created the object, so initialise it:
	 *    ftruncate() to sizeof(struct ring), mmap() it (MAP_SHARED),
	 *    sem_init() mutex, empty and full with pshared = 1, head = tail
	 *    = 0, and only then store magic:
	 *        __atomic_store_n(&r->magic, RING_MAGIC, __ATOMIC_RELEASE);
	 *  - It failed with EEXIST: someone else creates it. Open it without
	 *    O_CREAT, wait (sleeping ~10 ms between looks) until fstat()
	 *    shows its full size, mmap() it, then wait the same way until
	 *        __atomic_load_n(&r->magic, __ATOMIC_ACQUIRE) == RING_MAGIC
	 *  - Any other error: perror() and exit 1.
	 */

	/*
	 * TODO: read stdin to end-of-file, up to RING_SLOT_SIZE bytes at a
	 * time. Put each chunk into one slot (len, producer = K, data):
	 * sem_wait(empty), sem_wait(mutex), fill slot[head], advance head,
	 * sem_post(mutex), sem_post(full). Retry sem_wait() on EINTR.
	 */

	/* TODO: put one more slot with len 0 (the end marker), munmap(). */

	(void)argc;
	fprintf(stderr, "%s: not implemented\n", argv[0]);
	return 1;
}
