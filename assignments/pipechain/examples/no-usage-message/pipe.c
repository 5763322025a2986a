/*
 * Bug: with no arguments it exits 22, as it should, but prints no usage
 * message: the user is not told how to call it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void close_all(int (*fds)[2], int npipes)
{
	for (int i = 0; i < npipes; i++) {
		close(fds[i][0]);
		close(fds[i][1]);
	}
}

int main(int argc, char *argv[])
{
	int n = argc - 1;
	int npipes = n - 1;
	int ret = 0;

	if (n < 1) {
		return EINVAL; /* the bug: not a word on stderr */
	}

	int(*fds)[2] = malloc(sizeof(*fds) * (npipes > 0 ? npipes : 1));
	pid_t *pids = malloc(sizeof(*pids) * n);
	if (!fds || !pids) {
		fprintf(stderr, "out of memory\n");
		return ENOMEM;
	}

	for (int i = 0; i < npipes; i++) {
		if (pipe(fds[i]) == -1) {
			int err = errno;
			perror("pipe");
			return err;
		}
	}

	for (int i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] == -1) {
			int err = errno;
			perror("fork");
			return err;
		}
		if (pids[i] == 0) {
			if (i > 0)
				dup2(fds[i - 1][0], STDIN_FILENO);
			if (i < n - 1)
				dup2(fds[i][1], STDOUT_FILENO);
			close_all(fds, npipes);
			execlp(argv[i + 1], argv[i + 1], (char *)NULL);
			int err = errno;
			fprintf(stderr, "pipe: %s: %s\n", argv[i + 1],
			        strerror(err));
			exit(err);
		}
	}

	close_all(fds, npipes);

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
