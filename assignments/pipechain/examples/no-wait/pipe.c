/*
 * Bug: never calls wait(); it sleeps a second "to let the programs finish",
 * so no child is reaped (zombies, or orphans if still running) nor checked.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	int n = argc - 1;

	if (n < 1) {
		fprintf(stderr, "usage: %s prog1 [prog2 ...]\n", argv[0]);
		return EINVAL;
	}

	int(*fds)[2] = malloc(sizeof(*fds) * n);
	for (int i = 0; i < n - 1; i++) {
		if (pipe(fds[i]) < 0) {
			perror("pipe");
			return 1;
		}
	}

	for (int i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			if (i > 0)
				dup2(fds[i - 1][0], STDIN_FILENO);
			if (i < n - 1)
				dup2(fds[i][1], STDOUT_FILENO);
			for (int j = 0; j < n - 1; j++) {
				close(fds[j][0]);
				close(fds[j][1]);
			}
			execlp(argv[i + 1], argv[i + 1], (char *)NULL);
			int err = errno;
			fprintf(stderr, "pipe: %s: %s\n", argv[i + 1],
			        strerror(err));
			exit(err);
		}
	}

	for (int i = 0; i < n - 1; i++) {
		close(fds[i][0]);
		close(fds[i][1]);
	}
	free(fds);
	sleep(1); /* give the programs time to finish */
	return 0;
}
