/* pivot_root(): a violation (row 34). */
#include <sys/syscall.h>

#include "hostile.h"

int main(void)
{
	hostile_refuse_root();
	return not_killed("pivot_root(., .)",
	                  syscall(SYS_pivot_root, ".", "."));
}
