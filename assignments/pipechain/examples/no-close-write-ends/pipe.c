/*
 * Bug: the parent never closes its own copies of the pipes, so each reader
 * still has a writer (the parent) and never sees end-of-file.
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

	if (n == 0) {
		fprintf(stderr, "usage: pipe prog...\n");
		return EINVAL;
	}

	int(*pipes)[2] = calloc(n, sizeof(*pipes));
	pid_t *pids = calloc(n, sizeof(*pids));

	for (int i = 0; i < n - 1; i++)
		pipe(pipes[i]);

	for (int i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			if (i != 0)
				dup2(pipes[i - 1][0], 0);
			if (i != n - 1)
				dup2(pipes[i][1], 1);
			for (int j = 0; j < n - 1; j++) {
				close(pipes[j][0]);
				close(pipes[j][1]);
			}
			execlp(argv[i + 1], argv[i + 1], NULL);
			int e = errno;
			fprintf(stderr, "pipe: %s: %s\n", argv[i + 1],
			        strerror(e));
			exit(e);
		}
	}

	int ret = 0;
	for (int i = 0; i < n; i++) {
		int st;
		waitpid(pids[i], &st, 0);
		if (WIFEXITED(st) && WEXITSTATUS(st) && ret == 0)
			ret = WEXITSTATUS(st);
	}
	free(pipes);
	free(pids);
	return ret;
}
