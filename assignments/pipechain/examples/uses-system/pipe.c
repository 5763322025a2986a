/*
 * Bug: builds the string "a | b | c" and hands it to system(): the output is
 * right, but the programs are children of /bin/sh, not of pipe.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

int main(int argc, char *argv[])
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s prog1 [prog2 ...]\n", argv[0]);
		return EINVAL;
	}

	size_t len = 1;
	for (int i = 1; i < argc; i++)
		len += strlen(argv[i]) + 3;

	char *cmd = malloc(len);
	if (!cmd)
		return ENOMEM;
	cmd[0] = '\0';
	for (int i = 1; i < argc; i++) {
		if (i > 1)
			strcat(cmd, " | ");
		strcat(cmd, argv[i]);
	}

	int status = system(cmd);
	free(cmd);
	if (status == -1) {
		perror("system");
		return 1;
	}
	return WEXITSTATUS(status);
}
