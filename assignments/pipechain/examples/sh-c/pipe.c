/*
 * Bug: builds "a | b | c" and replaces itself with sh -c: the output is
 * right, but the shell starts the programs, and its exit status is the last
 * one's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	char cmd[4096] = "";

	if (argc < 2) {
		fprintf(stderr, "usage: %s prog1 [prog2 ...]\n", argv[0]);
		return EINVAL;
	}

	for (int i = 1; i < argc; i++) {
		if (i > 1)
			strncat(cmd, " | ", sizeof(cmd) - strlen(cmd) - 1);
		strncat(cmd, argv[i], sizeof(cmd) - strlen(cmd) - 1);
	}

	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	perror("execl");
	return errno;
}
