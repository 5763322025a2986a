/* An x32 system call number, getpid | 0x40000000 (row 31). */
#include <sys/syscall.h>

#include "hostile.h"

int main(void)
{
	long rc;

	hostile_refuse_root();
	rc = syscall(SYS_getpid | 0x40000000);
	return not_killed("x32 getpid", rc);
}
