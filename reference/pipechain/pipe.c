/*
 * pipe.c - run programs connected by pipes: "./pipe ls cat wc" does what
 * the shell does for "ls | cat | wc".
 *
 * Reference solution of the pipechain assignment. The plan:
 *
 *   1. Start every program before waiting for any of them. A pipe holds
 *      only 64 KiB: a program that writes more blocks until the next one
 *      reads, so the programs must all run at the same time.
 *   2. Each child gets its stdin and stdout with dup2() and closes every
 *      other pipe end it inherited. The parent closes each end as soon as
 *      it has handed it to a child. A reader sees end-of-file only once
 *      *every* copy of the pipe's write end is closed, in every process.
 *   3. Wait for every child, then exit: 0 if every program could be run,
 *      otherwise the errno of the first one that could not.
 *
 * At most two pipes of the chain are open at any time (the one the next
 * program reads and the one being set up), so the number of programs is
 * limited by nothing but the number of processes.
 */
#define _GNU_SOURCE /* pipe2() */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * Called in the child when something between fork() and exec failed: send
 * errno to the parent through @report_fd, then exit. The parent prints the
 * message: it knows the program's name and its stderr is in a known state.
 */
static _Noreturn void child_fail(int report_fd)
{
	int err = errno;

	/* If this write fails too there is nothing left to do. */
	while (write(report_fd, &err, sizeof(err)) < 0 && errno == EINTR)
		;
	_exit(127);
}

/*
 * Moves @fd to @target (0 or 1) in the child. @fd may already be @target:
 * the first program reads pipe's own stdin, the last writes its stdout.
 */
static int move_fd(int fd, int target)
{
	if (fd == target)
		return 0;
	if (dup2(fd, target) < 0)
		return -1;
	return close(fd);
}

/*
 * Starts @prog in a new child, reading @in_fd and writing @out_fd.
 * @unused_fd is the other end of the child's output pipe (the next
 * program's input), or -1: the child closes it.
 *
 * Returns the child's pid, or -1 if fork() failed (errno says why). When
 * the child exists but could not run @prog, *exec_errno is set to the
 * errno of the failed call (the child must still be waited for);
 * otherwise *exec_errno is 0.
 */
static pid_t start_stage(const char *prog, int in_fd, int out_fd, int unused_fd,
                         int *exec_errno)
{
	int report[2]; /* exec-failure channel: child writes, parent reads */
	ssize_t n;
	pid_t pid;

	*exec_errno = 0;
	/*
	 * O_CLOEXEC: a successful exec closes the write end, so the parent
	 * reads end-of-file. A failed exec leaves it open to send errno.
	 */
	if (pipe2(report, O_CLOEXEC) < 0)
		return -1;

	pid = fork();
	if (pid < 0) {
		int err = errno;

		close(report[0]);
		close(report[1]);
		errno = err;
		return -1;
	}

	if (pid == 0) {
		/* Child: keep only stdin, stdout and stderr for @prog. */
		close(report[0]);
		if (unused_fd >= 0 && close(unused_fd) < 0)
			child_fail(report[1]);
		if (move_fd(in_fd, STDIN_FILENO) < 0 ||
		    move_fd(out_fd, STDOUT_FILENO) < 0)
			child_fail(report[1]);
		execlp(prog, prog, (char *)NULL);
		child_fail(report[1]);
	}

	/*
	 * Parent: this read returns as soon as the child has called exec
	 * (end-of-file) or reported an error. It does not wait for @prog to
	 * finish, so the programs still all run at the same time.
	 */
	close(report[1]);
	do
		n = read(report[0], exec_errno, sizeof(*exec_errno));
	while (n < 0 && errno == EINTR);
	if (n != sizeof(*exec_errno))
		*exec_errno = 0;
	close(report[0]);
	return pid;
}

int main(int argc, char *argv[])
{
	int nprogs = argc - 1;
	int in_fd = STDIN_FILENO; /* what the next program reads */
	int status = 0;           /* exit status of pipe */
	pid_t *pids;
	int i;

	if (nprogs < 1) {
		fprintf(stderr, "usage: %s PROG1 [PROG2 ... PROGn]\n", argv[0]);
		return EINVAL;
	}

	pids = calloc(nprogs, sizeof(*pids));
	if (!pids) {
		fprintf(stderr, "pipe: out of memory\n");
		return ENOMEM;
	}

	/* 1. Start every program, each one reading what the previous wrote. */
	for (i = 0; i < nprogs; i++) {
		const char *prog = argv[i + 1];
		int fds[2] = { -1, STDOUT_FILENO }; /* the last writes stdout */
		int err;

		if (i < nprogs - 1 && pipe(fds) < 0) {
			status = errno;
			fprintf(stderr, "pipe: pipe: %s\n", strerror(status));
			if (in_fd != STDIN_FILENO)
				close(in_fd);
			break;
		}

		pids[i] = start_stage(prog, in_fd, fds[1], fds[0], &err);
		if (pids[i] < 0)
			err = errno; /* no child: fork() or pipe2() failed */

		/*
		 * 2. The child has its own copies now. Closing ours is what
		 * lets the next program see end-of-file when this one exits.
		 */
		if (in_fd != STDIN_FILENO)
			close(in_fd);
		if (fds[1] != STDOUT_FILENO)
			close(fds[1]);
		in_fd = fds[0];

		if (err) {
			fprintf(stderr, "pipe: %s: %s\n", prog, strerror(err));
			if (!status)
				status = err;
		}
		if (pids[i] < 0) {
			/* Without a reader, earlier programs get SIGPIPE. */
			if (in_fd >= 0)
				close(in_fd);
			break;
		}
	}

	/*
	 * 3. Wait for every child that was started, so that none is left
	 * running (an orphan) or dead but unreaped (a zombie).
	 */
	for (i = 0; i < nprogs; i++) {
		if (pids[i] <= 0)
			continue;
		while (waitpid(pids[i], NULL, 0) < 0 && errno == EINTR)
			;
	}

	free(pids);
	return status;
}
