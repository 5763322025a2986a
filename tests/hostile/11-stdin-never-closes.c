/* Reads a stdin whose writer, its own child, never closes it (row 11). */
#include "hostile.h"

int main(void)
{
	char buf[256];
	int p[2];

	hostile_refuse_root();
	while (read(0, buf, sizeof(buf)) > 0)
		; /* the test's own input, if any */
	if (pipe(p) < 0)
		return HOSTILE_BROKEN;
	if (fork() == 0) {
		/* Keeps the write end open and never writes. */
		for (;;)
			pause();
	}
	close(p[1]);
	if (dup2(p[0], 0) < 0)
		return HOSTILE_BROKEN;
	while (read(0, buf, sizeof(buf)) > 0)
		;
	report("stdin reached end-of-file");
	return HOSTILE_BROKEN;
}
