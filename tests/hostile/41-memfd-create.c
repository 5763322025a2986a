/* memfd_create(), the first step of fileless exec: EPERM (row 41). */
#include <sys/mman.h>
#include <sys/syscall.h>

#include "hostile.h"

int main(void)
{
	hostile_refuse_root();
	expect_errno("memfd_create(MFD_CLOEXEC)",
	             memfd_create("hostile", MFD_CLOEXEC), EPERM, 0);
	expect_errno("memfd_create(0) (raw)",
	             syscall(SYS_memfd_create, "hostile", 0), EPERM, 0);
	return HOSTILE_CONTAINED;
}
