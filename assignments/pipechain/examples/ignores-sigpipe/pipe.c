/*
 * Bug: ignores SIGPIPE "so that pipe cannot be killed by it"; SIG_IGN is
 * inherited through exec, so a writer whose reader quit is not stopped by the
 * signal.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	int n = argc - 1;

	if (n < 1) {
		fprintf(stderr, "usage: %s prog1 [prog2 ...]\n", argv[0]);
		return EINVAL;
	}

	signal(SIGPIPE, SIG_IGN);

	int(*fds)[2] = malloc(sizeof(*fds) * n);
	pid_t *pids = malloc(sizeof(*pids) * n);

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

	int ret = 0;
	for (int i = 0; i < n; i++) {
		int status;
		waitpid(pids[i], &status, 0);
		if (WIFEXITED(status) && WEXITSTATUS(status) != 0 && ret == 0)
			ret = WEXITSTATUS(status);
	}
	free(fds);
	free(pids);
	return ret;
}
