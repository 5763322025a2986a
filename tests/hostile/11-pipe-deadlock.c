/* Deadlock: two processes each read the other's pipe first (row 11). */
#include "hostile.h"

int main(void)
{
	int a[2], b[2];
	char c;

	hostile_refuse_root();
	if (pipe(a) < 0 || pipe(b) < 0)
		return HOSTILE_BROKEN;
	if (fork() == 0) {
		if (read(b[0], &c, 1) == 1 && write(a[1], "x", 1) == 1)
			report("child got past the deadlock");
		return HOSTILE_ODD;
	}
	if (read(a[0], &c, 1) == 1 && write(b[1], "x", 1) == 1)
		report("parent got past the deadlock");
	return HOSTILE_ODD;
}
