/*
 * cmd_bundle.c - `ipcgrade gradescope-bundle ASSIGNMENT -o autograder.zip`.
 */
#include "cli.h"

#include <stdio.h>

int cmd_gradescope_bundle(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "not yet\n");
	return EXIT_INTERNAL;
}
