/* io_uring_setup/enter/register must fail with ENOSYS (row 32). */
/* EBADF instead would mean the calls reached the kernel. */
#include <linux/io_uring.h>
#include <sys/syscall.h>

#include "hostile.h"

int main(void)
{
	struct io_uring_params p = { 0 };

	hostile_refuse_root();
	expect_errno("io_uring_setup(8)", syscall(SYS_io_uring_setup, 8, &p),
	             ENOSYS, 0);
	expect_errno("io_uring_enter(-1)",
	             syscall(SYS_io_uring_enter, -1, 1, 0, 0, NULL, 0), ENOSYS,
	             0);
	expect_errno("io_uring_register(-1)",
	             syscall(SYS_io_uring_register, -1, 0, NULL, 0), ENOSYS, 0);
	return HOSTILE_CONTAINED;
}
