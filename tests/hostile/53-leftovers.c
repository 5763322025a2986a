/* Leaves files and IPC objects for the next run to find (row 53). */
/* A FIFO and a file in /tmp, POSIX shm, semaphore and queue, a SysV
 * queue, files in /run/lock and /var/tmp; exits 3 if a previous run's are
 * still there. */
#include <fcntl.h>
#include <mqueue.h>
#include <semaphore.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/stat.h>

#include "hostile.h"

#define KEY 0x484f5354 /* "HOST" */

int main(void)
{
	int seen = 0, fd;

	hostile_refuse_root();
	seen += access("/tmp/hostile-leftover.fifo", F_OK) == 0;
	seen += access("/tmp/hostile-leftover.txt", F_OK) == 0;
	seen += shm_open("/hostile-leftover", O_RDONLY, 0) >= 0;
	seen += sem_open("/hostile-leftover", 0) != SEM_FAILED;
	seen += mq_open("/hostile-leftover", O_RDONLY) >= 0;
	seen += msgget(KEY, 0) >= 0;
	/* Any other world-writable place of the host (basic tier). */
	seen += access("/run/lock/hostile-leftover", F_OK) == 0;
	seen += access("/var/tmp/hostile-leftover", F_OK) == 0;
	if (seen) {
		report("found %d objects left by a previous run", seen);
		return HOSTILE_ESCAPED;
	}
	umask(0);
	fd = open("/tmp/hostile-leftover.txt", O_CREAT | O_WRONLY, 0666);
	if (mkfifo("/tmp/hostile-leftover.fifo", 0666) < 0 || fd < 0 ||
	    write(fd, "secret", 6) != 6 ||
	    shm_open("/hostile-leftover", O_CREAT | O_RDWR, 0666) < 0 ||
	    sem_open("/hostile-leftover", O_CREAT, 0666, 0) == SEM_FAILED ||
	    mq_open("/hostile-leftover", O_CREAT | O_RDWR, 0666, NULL) < 0 ||
	    msgget(KEY, IPC_CREAT | 0666) < 0) {
		report("creating a leftover -> %s", errname(errno));
		return HOSTILE_BROKEN;
	}
	/* Where these exist and are writable (not in the full tier's view,
	 * which is read-only but for /tmp and /dev/shm). */
	close(open("/run/lock/hostile-leftover", O_CREAT | O_WRONLY, 0666));
	close(open("/var/tmp/hostile-leftover", O_CREAT | O_WRONLY, 0666));
	report("left 6 objects (and files in /run/lock, /var/tmp where "
	       "writable) for the next run");
	return HOSTILE_CONTAINED;
}
