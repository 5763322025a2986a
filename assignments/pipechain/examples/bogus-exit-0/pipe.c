/*
 * Bug: the parent waits for every child but ignores how they ended, so
 * "./pipe bogus" prints an error and still exits with status 0.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	int n = argc - 1;

	if (n < 1) {
		fprintf(stderr, "usage: %s prog1 [prog2 ...]\n", argv[0]);
		return EINVAL;
	}

	int(*fds)[2] = malloc(sizeof(*fds) * n);
	for (int i = 0; i < n - 1; i++)
		pipe(fds[i]);

	for (int i = 0; i < n; i++) {
		if (fork() == 0) {
			if (i > 0)
				dup2(fds[i - 1][0], STDIN_FILENO);
			if (i < n - 1)
				dup2(fds[i][1], STDOUT_FILENO);
			for (int j = 0; j < n - 1; j++) {
				close(fds[j][0]);
				close(fds[j][1]);
			}
			execlp(argv[i + 1], argv[i + 1], (char *)NULL);
			perror(argv[i + 1]);
			exit(1);
		}
	}

	for (int i = 0; i < n - 1; i++) {
		close(fds[i][0]);
		close(fds[i][1]);
	}
	for (int i = 0; i < n; i++)
		wait(NULL);
	free(fds);
	return 0;
}
