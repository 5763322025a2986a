/* malloc() and touch 1 MiB at a time, never checking for NULL (row 15). */
#include "hostile.h"

int main(void)
{
	size_t total = 0;

	hostile_refuse_root();
	for (;;) {
		char *p = malloc(1 << 20);

		memset(p, 1, 1 << 20); /* a NULL p crashes, like students' */
		total += 1 << 20;
		if (total >= (size_t)4 << 30) {
			report("touched 4 GiB");
			return HOSTILE_ESCAPED;
		}
	}
}
