/*
 * Bug: when a program cannot be run, the child exits with errno but prints
 * nothing, so the user gets a non-zero status and no message on stderr.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	int n = argc - 1;
	int in = STDIN_FILENO;
	int ret = 0;

	if (n < 1) {
		fprintf(stderr, "usage: %s prog1 [prog2 ...]\n", argv[0]);
		return EINVAL;
	}

	pid_t *pids = calloc(n, sizeof(pid_t));
	for (int i = 0; i < n; i++) {
		int p[2];
		if (i < n - 1)
			pipe(p);

		pids[i] = fork();
		if (pids[i] == 0) {
			if (in != STDIN_FILENO) {
				dup2(in, STDIN_FILENO);
				close(in);
			}
			if (i < n - 1) {
				dup2(p[1], STDOUT_FILENO);
				close(p[0]);
				close(p[1]);
			}
			execlp(argv[i + 1], argv[i + 1], (char *)NULL);
			_exit(errno);
		}

		if (in != STDIN_FILENO)
			close(in);
		if (i < n - 1) {
			close(p[1]);
			in = p[0];
		}
	}

	for (int i = 0; i < n; i++) {
		int st;
		waitpid(pids[i], &st, 0);
		if (WIFEXITED(st) && WEXITSTATUS(st) && !ret)
			ret = WEXITSTATUS(st);
	}
	free(pids);
	return ret;
}
