/* TIOCSTI/TIOCLINUX keystroke injection on fds 0-2 (row 35). */
/* Also with bits set above the 32-bit command: EPERM from the filter,
 * or ENOTTY (there is no tty). */
#include <sys/ioctl.h>
#include <sys/syscall.h>

#include "hostile.h"

int main(void)
{
	static const unsigned long cmds[] = {
		TIOCSTI,
		(0x123UL << 32) | TIOCSTI,
		TIOCLINUX,
		(0x123UL << 32) | TIOCLINUX,
	};
	char name[32], c = 'x';
	unsigned i;
	int fd;

	hostile_refuse_root();
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		for (fd = 0; fd < 3; fd++) {
			snprintf(name, sizeof(name), "ioctl(%d, 0x%lx)", fd,
			         cmds[i]);
			expect_errno(name, syscall(SYS_ioctl, fd, cmds[i], &c),
			             EPERM, ENOTTY);
		}
	return HOSTILE_CONTAINED;
}
