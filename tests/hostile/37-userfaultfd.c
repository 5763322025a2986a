/* userfaultfd(UFFD_USER_MODE_ONLY): a violation (row 37). */
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <sys/syscall.h>

#include "hostile.h"

int main(void)
{
	hostile_refuse_root();
	return not_killed(
	    "userfaultfd()",
	    syscall(SYS_userfaultfd, O_CLOEXEC | UFFD_USER_MODE_ONLY));
}
