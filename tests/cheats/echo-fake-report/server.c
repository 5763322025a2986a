/* The trick: the probe's report lines, printed by the server itself. */
#include <stdio.h>

#define main honest_main
#include "honest-server.inc"
#undef main

int main(int argc, char **argv)
{
	for (int i = 0; i < 50; i++) {
		printf("status passed\nend\n");
		fprintf(stderr, "status passed\nend\n");
	}
	fflush(stdout);
	return honest_main(argc, argv);
}
