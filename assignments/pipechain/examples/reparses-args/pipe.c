/*
 * Bug: re-parses its arguments as a shell user might expect, gluing a word
 * that starts with '-', '.' or a digit onto the program before it as an
 * argument: `./pipe cat ./tool wc` runs `cat ./tool | wc`.
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
	/* The bug: "a name that looks like an option or an argument belongs
	 * to the program before it", so `cat ./tool` becomes one program. */
	char **progs[256];
	int n = 0;

	for (int i = 1; i < argc && n < 256; i++) {
		char c = argv[i][0];
		if (n > 0 && (c == '-' || c == '.' || (c >= '0' && c <= '9'))) {
			char **p = progs[n - 1];
			int k = 0;
			while (p[k])
				k++;
			p[k] = argv[i];
			continue;
		}
		progs[n] = calloc((size_t)argc + 1, sizeof(char *));
		if (!progs[n])
			return ENOMEM;
		progs[n++][0] = argv[i];
	}
	int npipes = n - 1;
	int ret = 0;

	if (n < 1) {
		fprintf(stderr, "usage: %s prog1 [prog2 ...]\n", argv[0]);
		return EINVAL;
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
			execvp(progs[i][0], progs[i]);
			int err = errno;
			fprintf(stderr, "pipe: %s: %s\n", progs[i][0],
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
