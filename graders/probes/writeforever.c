/*
 * writeforever - writes lines forever, ignoring write errors, so it ends
 * only by SIGPIPE: a chain that hands it an ignored SIGPIPE never ends.
 * When SIGPIPE comes it waits in its handler (SIGPIPE blocked and caught,
 * for the grader to see from outside) until the grader's SIGUSR1, at most
 * 2 s, then dies of the SIGPIPE: how it ended is then a fact, not a guess.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <time.h>
#include <unistd.h>

static void on_sigpipe(int sig)
{
	struct timespec two = { 2, 0 };
	sigset_t usr1;

	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigtimedwait(&usr1, NULL, &two);
	signal(sig, SIG_DFL);
	raise(sig); /* pending until the handler returns, then fatal */
}

int main(void)
{
	static const char line[] = "y\n";
	struct sigaction sa = { .sa_handler = on_sigpipe }, old;
	sigset_t mask;

	/* Handed an ignored or blocked SIGPIPE (inherited across exec), it
	 * must behave as the chain made it: never end. */
	sigprocmask(SIG_BLOCK, NULL, &mask);
	sigaction(SIGPIPE, NULL, &old);
	if (old.sa_handler != SIG_IGN && !sigismember(&mask, SIGPIPE)) {
		sigfillset(&sa.sa_mask);
		sigaction(SIGPIPE, &sa, NULL);
	}
	for (;;)
		if (write(1, line, sizeof(line) - 1) < 0)
			continue;
}
