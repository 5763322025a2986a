/* sigd with a semaphore: each handler counts its signal and calls
 * sem_post() (async-signal-safe); the main loop sleeps in sem_wait() and
 * takes the counts with every signal blocked. A post made just before
 * the wait is not lost: the semaphore keeps it. */
#define _GNU_SOURCE
#include <errno.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static sem_t wake;
static volatile sig_atomic_t pending[NSIG];
static int count;

static void on_signal(int sig)
{
	int saved = errno;
	pending[sig]++;
	sem_post(&wake);
	errno = saved;
}

static void on_segv(int sig)
{
	(void)sig;
	write(1, "Memory access blows up!\n", 24);
	_exit(1);
}

static void reap_all(int flags)
{
	int status;
	pid_t pid;
	while ((pid = waitpid(-1, &status, flags)) > 0)
		printf("child %d %d\n", (int)pid,
		       WIFEXITED(status) ? WEXITSTATUS(status)
		                         : 128 + WTERMSIG(status));
}

/* Take sig's count, with every handler kept out meanwhile. */
static int take(int sig, const sigset_t *all)
{
	sigset_t old;
	int n;
	sigprocmask(SIG_BLOCK, all, &old);
	n = pending[sig];
	pending[sig] = 0;
	sigprocmask(SIG_SETMASK, &old, NULL);
	return n;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	int sigs[] = { SIGUSR1, SIGUSR2, SIGCHLD, SIGINT, SIGTERM };
	sigset_t all, usr1;

	setvbuf(stdout, NULL, _IONBF, 0);
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	if (argc > 1 && strcmp(argv[1], "--segv") == 0) {
		sa.sa_handler = on_segv;
		sigaction(SIGSEGV, &sa, NULL);
		*(volatile int *)0 = 42;
		return 0;
	}
	if (sem_init(&wake, 0, 0) < 0) {
		perror("sem_init");
		return 1;
	}
	sigemptyset(&all);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&all, sigs[i]);
	sa.sa_handler = on_signal;
	sa.sa_mask = all; /* one handler at a time: the counts stay exact */
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGHUP, &sa, NULL);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);

	printf("ready %d\n", (int)getpid());
	for (;;) {
		int n;
		if (sem_wait(&wake) < 0 && errno != EINTR) {
			perror("sem_wait");
			return 1;
		}
		for (n = take(SIGUSR1, &all); n > 0; n--)
			printf("usr1 %d\n", ++count);
		for (n = take(SIGUSR2, &all); n > 0; n--) {
			pid_t pid = fork();
			if (pid == 0) {
				usleep(100000);
				_exit(count % 256);
			}
			printf("spawn %d\n", (int)pid);
		}
		if (take(SIGCHLD, &all))
			reap_all(WNOHANG);
		if (take(SIGINT, &all)) {
			char answer[64] = "";
			sigprocmask(SIG_BLOCK, &usr1, NULL);
			printf("save? [y/n]\n");
			if (fgets(answer, sizeof(answer), stdin) &&
			    answer[0] == 'y') {
				reap_all(0);
				printf("saved %d\n", count);
				exit(0);
			}
			printf("continue\n");
			sigprocmask(SIG_UNBLOCK, &usr1, NULL);
		}
		if (take(SIGTERM, &all)) {
			reap_all(0);
			printf("bye %d\n", count);
			exit(0);
		}
	}
}
