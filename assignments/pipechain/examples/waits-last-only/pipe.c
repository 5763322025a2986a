/*
 * Bug: waits only for the last program ("it finishes last anyway"); the
 * others are never reaped and are left as zombies or orphans.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	int n = argc - 1;
	int in = STDIN_FILENO;
	pid_t last = -1;

	if (n < 1) {
		fprintf(stderr, "usage: %s prog1 [prog2 ...]\n", argv[0]);
		return EINVAL;
	}

	for (int i = 0; i < n; i++) {
		int p[2] = { -1, STDOUT_FILENO };
		if (i < n - 1 && pipe(p) < 0) {
			perror("pipe");
			return 1;
		}

		pid_t pid = fork();
		if (pid == 0) {
			if (in != STDIN_FILENO) {
				dup2(in, STDIN_FILENO);
				close(in);
			}
			if (p[1] != STDOUT_FILENO) {
				dup2(p[1], STDOUT_FILENO);
				close(p[0]);
				close(p[1]);
			}
			execlp(argv[i + 1], argv[i + 1], (char *)NULL);
			int err = errno;
			fprintf(stderr, "pipe: %s: %s\n", argv[i + 1],
			        strerror(err));
			exit(err);
		}

		if (in != STDIN_FILENO)
			close(in);
		if (p[1] != STDOUT_FILENO)
			close(p[1]);
		in = p[0];
		last = pid;
	}

	int status;
	waitpid(last, &status, 0);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 0;
}
