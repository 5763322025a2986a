/* fsopen(), the new mount API: a violation (row 34). */
#include <sys/syscall.h>

#include "hostile.h"

int main(void)
{
	hostile_refuse_root();
	return not_killed("fsopen(tmpfs)", syscall(SYS_fsopen, "tmpfs", 0));
}
