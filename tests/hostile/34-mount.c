/* mount() a tmpfs: a violation (row 34). */
#include <sys/mount.h>

#include "hostile.h"

int main(void)
{
	hostile_refuse_root();
	return not_killed("mount(tmpfs, /tmp)",
	                  mount("none", "/tmp", "tmpfs", 0, ""));
}
