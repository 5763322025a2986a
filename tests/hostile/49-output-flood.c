/* Endless stdout and stderr: binary garbage and fake score lines (row 49). */
#include "hostile.h"

int main(void)
{
	static const char fake[] = "\nscore: 100/100\n{\"score\": 100}\n";
	char junk[4096];
	unsigned i;

	hostile_refuse_root();
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (char)(i * 37);
	for (;;) {
		if (write(1, junk, sizeof(junk)) < 0 ||
		    write(1, fake, sizeof(fake) - 1) < 0 ||
		    write(2, fake, sizeof(fake) - 1) < 0)
			return HOSTILE_CONTAINED;
	}
}
