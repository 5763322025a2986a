/*
 * pipe.c - run "./pipe PROG1 PROG2 ... PROGn" like the shell runs
 * "PROG1 | PROG2 | ... | PROGn".
 *
 * This skeleton compiles and runs, but does nothing yet: fill in the TODOs.
 * Read HANDOUT.md first; man pages: pipe(2), fork(2), dup2(2), execlp(3),
 * waitpid(2), pipe(7).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	int nprogs = argc - 1; /* programs to run: argv[1] .. argv[nprogs] */

	/*
	 * TODO: no programs given: print a usage message on stderr and exit
	 * with status EINVAL (22).
	 */

	/*
	 * TODO: somewhere to keep the child pids, sized for nprogs (any
	 * number of programs must work: no fixed-size array).
	 */

	for (int i = 0; i < nprogs; i++) {
		const char *prog = argv[i + 1];

		/*
		 * TODO: unless prog is the last program, create the pipe it
		 * writes to (and the next program reads from).
		 */

		/*
		 * TODO: fork(). In the child:
		 *   - dup2() the read end of the previous pipe onto stdin
		 *     (not for the first program: it keeps pipe's stdin),
		 *   - dup2() the write end of the next pipe onto stdout
		 *     (not for the last program: it keeps pipe's stdout),
		 *   - close every pipe fd it still holds,
		 *   - execlp(prog, prog, (char *)NULL).
		 * If execlp() returns, it failed: save errno at once, print
		 * "pipe: PROG: <strerror>" on stderr and exit with that errno.
		 */

		/*
		 * TODO: in the parent: close the pipe ends the child now owns
		 * (the write end above all). Do NOT wait here: all programs
		 * must run at the same time.
		 */
		(void)prog;
	}

	/*
	 * TODO: wait for every child. Exit with the errno of a program that
	 * could not be run (its child's exit status), else 0.
	 */
	return 0;
}
