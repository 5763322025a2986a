/*
 * consumer.c - take the bytes out of the shared-memory ring NAME.
 *
 *   ./consumer [-p P] NAME
 *
 * This skeleton compiles but does nothing yet: fill in the TODOs. Read
 * HANDOUT.md first; man pages: shm_open(3), mmap(2), fstat(2),
 * sem_wait(3), sem_post(3), nanosleep(2), shm_unlink(3), sem_overview(7),
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
	 * TODO: parse the options: "-p P" means P producers (indices 0..P-1)
	 * and output to the files out.0 .. out.P-1, which must all exist at
	 * the end, even empty; without -p there is one producer and the
	 * output goes to stdout. Exactly one NAME must follow.
	 */

	/*
	 * TODO: wait for the object, never spinning (sleep ~10 ms between
	 * looks with nanosleep()):
	 *  - retry shm_open(NAME, O_RDWR, 0) while it fails with ENOENT,
	 *  - wait until fstat() shows at least sizeof(struct ring) bytes,
	 *  - mmap() it (MAP_SHARED), then wait until
	 *        __atomic_load_n(&r->magic, __ATOMIC_ACQUIRE) == RING_MAGIC
	 */

	/*
	 * TODO: until P end markers (slots with len 0) have arrived:
	 * sem_wait(full), sem_wait(mutex), copy slot[tail] out, advance
	 * tail, sem_post(mutex), sem_post(empty); then write the bytes to
	 * stdout or to out.K for the slot's producer K (all of them: write()
	 * may write fewer bytes than asked). Retry sem_wait() on EINTR.
	 */

	/* TODO: shm_unlink(NAME), munmap(), close the out.K files. */

	(void)argc;
	fprintf(stderr, "%s: not implemented\n", argv[0]);
	return 1;
}
