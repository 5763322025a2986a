/* The trick: a thread with nothing blocked, then SIGUSR1 blocked in the
 * main thread only: the leader's mask looks right, and the thread takes
 * the signal anyway. */
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

static void *idle(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

__attribute__((constructor)) static void helper(void)
{
	pthread_t t;
	sigset_t one;

	pthread_create(&t, NULL, idle, NULL);
	sigemptyset(&one);
	sigaddset(&one, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &one, NULL);
}
