/*
 * Bug: waits for each program right after starting it, so the programs run
 * one after another; a stage that writes more than a pipe holds never ends.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	int in_fd = STDIN_FILENO;
	int ret = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s prog1 [prog2 ...]\n", argv[0]);
		return EINVAL;
	}

	for (int i = 1; i < argc; i++) {
		int fd[2];
		int last = (i == argc - 1);

		if (!last && pipe(fd) == -1) {
			perror("pipe");
			exit(1);
		}

		pid_t pid = fork();
		if (pid == 0) {
			if (in_fd != STDIN_FILENO) {
				dup2(in_fd, STDIN_FILENO);
				close(in_fd);
			}
			if (!last) {
				dup2(fd[1], STDOUT_FILENO);
				close(fd[0]);
				close(fd[1]);
			}
			execlp(argv[i], argv[i], NULL);
			int err = errno;
			fprintf(stderr, "pipe: %s: %s\n", argv[i],
			        strerror(err));
			exit(err);
		}

		if (in_fd != STDIN_FILENO)
			close(in_fd);
		if (!last) {
			close(fd[1]);
			in_fd = fd[0];
		}

		/* Let this program finish before starting the next one. */
		int status;
		waitpid(pid, &status, 0);
		if (WIFEXITED(status) && WEXITSTATUS(status) != 0 && !ret)
			ret = WEXITSTATUS(status);
	}
	return ret;
}
