/*
 * Correct, with its own Makefile: uses posix_spawnp() and close-on-exec
 * pipes; posix_spawnp() itself returns the errno of a failed exec.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char *argv[])
{
	int in = STDIN_FILENO, status = 0;
	pid_t *kids;
	int nkids = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: pipe PROGRAM...\n");
		exit(EINVAL);
	}
	kids = calloc(argc, sizeof(pid_t));
	if (kids == NULL)
		exit(ENOMEM);

	for (int i = 1; i < argc; i++) {
		int fds[2] = { -1, STDOUT_FILENO };
		posix_spawn_file_actions_t fa;
		char *args[] = { argv[i], NULL };
		int rc;

		/* O_CLOEXEC: only what is dup2()ed to 0 and 1 survives exec. */
		if (i < argc - 1 && pipe2(fds, O_CLOEXEC) < 0) {
			status = errno;
			perror("pipe2");
			break;
		}
		posix_spawn_file_actions_init(&fa);
		if (in != STDIN_FILENO)
			posix_spawn_file_actions_adddup2(&fa, in, STDIN_FILENO);
		if (fds[1] != STDOUT_FILENO)
			posix_spawn_file_actions_adddup2(&fa, fds[1],
			                                 STDOUT_FILENO);
		rc = posix_spawnp(&kids[nkids], argv[i], &fa, NULL, args,
		                  environ);
		posix_spawn_file_actions_destroy(&fa);
		if (rc == 0) {
			nkids++;
		} else {
			fprintf(stderr, "pipe: %s: %s\n", argv[i],
			        strerror(rc));
			if (status == 0)
				status = rc;
		}

		if (in != STDIN_FILENO)
			close(in);
		if (fds[1] != STDOUT_FILENO)
			close(fds[1]);
		in = fds[0];
	}
	if (in != STDIN_FILENO && in >= 0)
		close(in);

	for (int k = 0; k < nkids; k++)
		waitpid(kids[k], NULL, 0);
	free(kids);
	return status;
}
