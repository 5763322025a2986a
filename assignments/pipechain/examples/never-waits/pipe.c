/*
 * Bug: returns as soon as every program is started, without waiting for
 * any: the programs run on as orphans, finishing the work after pipe has
 * exited, and a failed program's status is lost (always exits 0).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int prev[2] = { -1, -1 };
	int next[2] = { -1, -1 };
	int result = 0;

	if (argc == 1) {
		fprintf(stderr, "Usage: ./pipe CMD [CMD...]\n");
		return EINVAL;
	}

	for (int i = 1; i < argc; i++) {
		int is_last = (i == argc - 1);

		if (!is_last && pipe(next) == -1) {
			perror("pipe");
			return errno;
		}

		pid_t pid = fork();
		if (pid == -1) {
			perror("fork");
			return errno;
		}
		if (pid == 0) {
			if (prev[0] != -1) {
				dup2(prev[0], 0);
				close(prev[0]);
			}
			if (!is_last) {
				dup2(next[1], 1);
				close(next[0]);
				close(next[1]);
			}
			execlp(argv[i], argv[i], NULL);
			int e = errno;
			dprintf(2, "pipe: cannot run %s: %s\n", argv[i],
			        strerror(e));
			_exit(e);
		}

		/* Parent: the old pipe is done with, the new one half so. */
		if (prev[0] != -1)
			close(prev[0]);
		if (!is_last) {
			close(next[1]);
			prev[0] = next[0];
		}
	}

	return result;
}
