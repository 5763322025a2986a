/*
 * Bug: fixed-size arrays for 10 programs; longer chains are refused, though
 * the assignment allows any number of programs.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_PROGS 10

int main(int argc, char *argv[])
{
	int fds[MAX_PROGS - 1][2];
	pid_t pids[MAX_PROGS];
	int n = argc - 1;
	int ret = 0;

	if (n < 1) {
		fprintf(stderr, "usage: %s prog1 [prog2 ...]\n", argv[0]);
		return EINVAL;
	}
	if (n > MAX_PROGS) {
		fprintf(stderr, "pipe: at most %d programs\n", MAX_PROGS);
		return E2BIG;
	}

	for (int i = 0; i < n - 1; i++)
		pipe(fds[i]);

	for (int i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			if (i > 0)
				dup2(fds[i - 1][0], STDIN_FILENO);
			if (i < n - 1)
				dup2(fds[i][1], STDOUT_FILENO);
			for (int j = 0; j < n - 1; j++) {
				close(fds[j][0]);
				close(fds[j][1]);
			}
			execlp(argv[i + 1], argv[i + 1], NULL);
			int err = errno;
			fprintf(stderr, "pipe: %s: %s\n", argv[i + 1],
			        strerror(err));
			_exit(err);
		}
	}

	for (int i = 0; i < n - 1; i++) {
		close(fds[i][0]);
		close(fds[i][1]);
	}
	for (int i = 0; i < n; i++) {
		int status;
		waitpid(pids[i], &status, 0);
		if (WIFEXITED(status) && WEXITSTATUS(status) && !ret)
			ret = WEXITSTATUS(status);
	}
	return ret;
}
