/* Hard-links /etc/shadow as output.txt for the harness to read (row 26). */
#include "hostile.h"

int main(void)
{
	hostile_refuse_root();
	if (link("/etc/shadow", "output.txt") == 0) {
		/* The suite checks the harness does not read it back. */
		report("link(/etc/shadow, output.txt) -> 0");
		return HOSTILE_CONTAINED;
	}
	report("link(/etc/shadow, output.txt) -> %s", errname(errno));
	return errno == EPERM || errno == EXDEV || errno == EACCES
	           ? HOSTILE_CONTAINED
	           : HOSTILE_ODD;
}
