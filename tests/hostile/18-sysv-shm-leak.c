/* SysV shm, semaphores and a queue left without IPC_RMID (row 18). */
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

#include "hostile.h"

int main(void)
{
	int i, id;
	char *p;

	hostile_refuse_root();
	for (i = 0; i < 8; i++) {
		id = shmget(IPC_PRIVATE, 1 << 20, IPC_CREAT | 0600);
		if (id < 0) {
			report("shmget #%d -> %s", i + 1, errname(errno));
			break;
		}
		p = shmat(id, NULL, 0);
		if (p != (void *)-1) {
			memset(p, 'x', 1 << 20);
			shmdt(p);
		}
	}
	if (semget(IPC_PRIVATE, 4, IPC_CREAT | 0600) < 0 ||
	    msgget(IPC_PRIVATE, IPC_CREAT | 0600) < 0) {
		report("semget/msgget -> %s", errname(errno));
		return HOSTILE_BROKEN;
	}
	report("left %d shm segments, a semaphore set and a queue", i);
	return HOSTILE_CONTAINED;
}
