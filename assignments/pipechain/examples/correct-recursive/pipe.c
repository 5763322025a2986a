/*
 * Correct: start_from() forks stage i, then calls itself for stage i+1 in
 * the *parent*, so every stage stays a direct child; it waits on the way back.
 */
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

/* Runs progs[i..n-1] reading in_fd; returns the first failing exit code. */
static int start_from(char **progs, int i, int n, int in_fd)
{
	int fd[2] = { -1, -1 };
	int last = (i == n - 1);
	int status, rest;
	pid_t pid;

	if (!last && pipe(fd) < 0)
		err(errno, "pipe");

	pid = fork();
	if (pid < 0)
		err(errno, "fork");
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
		execlp(progs[i], progs[i], (char *)NULL);
		err(errno, "%s", progs[i]);
	}

	if (in_fd != STDIN_FILENO)
		close(in_fd);
	rest = 0;
	if (!last) {
		close(fd[1]);
		rest = start_from(progs, i + 1, n, fd[0]);
	}

	waitpid(pid, &status, 0);
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		return WEXITSTATUS(status);
	return rest;
}

int main(int argc, char *argv[])
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s prog...\n", argv[0]);
		return EINVAL;
	}
	return start_from(argv + 1, 0, argc - 1, STDIN_FILENO);
}
