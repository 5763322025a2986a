/* Plants output.txt -> /etc/shadow for the harness to read (row 25). */
/* Also sub -> /etc; the suite checks that fs_read_beneath() refuses both. */
#include "hostile.h"

int main(void)
{
	hostile_refuse_root();
	if (symlink("/etc/shadow", "output.txt") < 0 ||
	    symlink("/etc", "sub") < 0) {
		report("symlink -> %s", errname(errno));
		return HOSTILE_BROKEN;
	}
	report("planted output.txt -> /etc/shadow and sub -> /etc");
	return HOSTILE_CONTAINED;
}
