/*
 * sigd - a small daemon that reacts to signals (see HANDOUT.md).
 * Compiles as it is; every TODO is yours.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Handlers only set these; the main loop does the work. */
static volatile sig_atomic_t got_usr1;

static void on_signal(int sig)
{
	(void)sig;
	/* TODO: record which signal came (one flag or counter each) */
	got_usr1++;
}

int main(int argc, char **argv)
{
	struct sigaction sa;

	/* The grader reads a pipe: print every line at once. */
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (argc > 1 && strcmp(argv[1], "--segv") == 0) {
		/* TODO: a SIGSEGV handler that write()s the message and
		 * calls _exit(1); then write through a volatile NULL int * */
		return 1;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	/* TODO: SIGUSR2, SIGCHLD, SIGINT, SIGTERM; ignore SIGHUP */
	/* TODO: block your signals here (sigprocmask), keep the old mask */

	printf("ready %d\n", (int)getpid());
	for (;;) {
		/* TODO: wait with sigsuspend(&old_mask), not pause() */
		pause();
		/* TODO: one "usr1 N" line per handler run, "spawn", "child",
		 * the SIGINT prompt, "bye" */
	}
}
