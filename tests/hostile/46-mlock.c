/* mlock, mlockall and SHM_LOCK with RLIMIT_MEMLOCK 0 (row 46). */
#include <sys/mman.h>
#include <sys/shm.h>

#include "hostile.h"

int main(void)
{
	static char buf[256 * 1024];
	int id;

	hostile_refuse_root();
	expect_errno("mlock(256 KiB)", mlock(buf, sizeof(buf)), ENOMEM, EPERM);
	expect_errno("mlockall(MCL_CURRENT)", mlockall(MCL_CURRENT), ENOMEM,
	             EPERM);
	id = shmget(IPC_PRIVATE, 1 << 20, IPC_CREAT | 0600);
	if (id < 0)
		return HOSTILE_BROKEN;
	expect_errno("shmctl(SHM_LOCK)", shmctl(id, SHM_LOCK, NULL), ENOMEM,
	             EPERM);
	shmctl(id, IPC_RMID, NULL);
	return HOSTILE_CONTAINED;
}
