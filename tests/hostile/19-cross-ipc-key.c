/* Cross-sandbox channel: fixed SysV key, POSIX /grades (row 19). */
/* "create" (the default) leaves the objects, "hold" keeps them until ./stop
 * appears (after writing ./ready), "probe" must not find them. */
#include <fcntl.h>
#include <semaphore.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <time.h>

#include "hostile.h"

#define KEY 0x47524144 /* "GRAD" */

/* Whether an object of the other run is visible: found, or EACCES. */
static int seen(const char *what, int found, int e)
{
	if (!found && e == ENOENT)
		return 0;
	report("%s -> %s", what, found ? "found" : errname(e));
	return 1;
}

static int probe(void)
{
	int id = shmget(KEY, 0, 0), n = seen("shmget(KEY)", id >= 0, errno);
	int fd = shm_open("/grades", O_RDONLY, 0);
	sem_t *s;

	n += seen("shm_open(/grades)", fd >= 0, errno);
	s = sem_open("/grades-sem", 0);
	n += seen("sem_open(/grades-sem)", s != SEM_FAILED, errno);
	if (!n)
		report("no key 0x%x, no /grades, no /grades-sem", KEY);
	return n ? HOSTILE_ESCAPED : HOSTILE_CONTAINED;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "create";
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	int id, fd;

	hostile_refuse_root();
	if (strcmp(mode, "probe") == 0)
		return probe();
	umask(0);
	id = shmget(KEY, 4096, IPC_CREAT | 0666);
	fd = shm_open("/grades", O_CREAT | O_RDWR, 0666);
	if (id < 0 || fd < 0 || write(fd, "A+", 2) != 2 ||
	    sem_open("/grades-sem", O_CREAT, 0666, 1) == SEM_FAILED) {
		report("creating the objects failed: %s", errname(errno));
		return HOSTILE_BROKEN;
	}
	report("created key 0x%x, /grades and /grades-sem (mode 0666)", KEY);
	if (strcmp(mode, "hold") == 0) {
		close(open("ready", O_CREAT | O_WRONLY, 0644));
		while (access("stop", F_OK) < 0)
			nanosleep(&ts, NULL);
	}
	return HOSTILE_CONTAINED;
}
