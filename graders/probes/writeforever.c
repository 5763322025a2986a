/*
 * writeforever - writes lines forever, ignoring write errors, so it ends
 * only by SIGPIPE: a chain that hands it an ignored SIGPIPE never ends.
 */
#include <unistd.h>

int main(void)
{
	static const char line[] = "y\n";

	for (;;)
		if (write(1, line, sizeof(line) - 1) < 0)
			continue;
}
