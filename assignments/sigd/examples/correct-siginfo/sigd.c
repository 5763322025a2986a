/*
 * sigd: one SA_SIGINFO handler counts every signal into a table; the main
 * loop blocks everything, looks at the table, and sleeps in sigsuspend()
 * with the old mask. The prompt reads stdin with read(2), a byte at a time.
 */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t hits[32]; /* the standard signals */
static int usr1_total;
static int running;

static void handler(int sig, siginfo_t *info, void *ctx)
{
	(void)info;
	(void)ctx;
	hits[sig]++;
}

static void segv_handler(int sig, siginfo_t *info, void *ctx)
{
	const char msg[] = "Memory access blows up!\n";
	(void)sig;
	(void)info;
	(void)ctx;
	write(1, msg, strlen(msg));
	_exit(1);
}

static void say(const char *fmt, int a, int b)
{
	printf(fmt, a, b);
	fflush(stdout);
}

static void reap(int blocking)
{
	int st;
	pid_t pid;
	while (running > 0 &&
	       (pid = waitpid(-1, &st, blocking ? 0 : WNOHANG)) > 0) {
		running--;
		say("child %d %d\n", pid,
		    WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	}
}

static int read_answer(void)
{
	char c, first = 0;
	int n = 0;
	while (read(0, &c, 1) == 1 && c != '\n')
		if (n++ == 0)
			first = c;
	return first == 'y';
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	sigset_t mask, old, no_usr1;
	int watched[] = { SIGUSR1, SIGUSR2, SIGCHLD, SIGINT, SIGTERM };

	memset(&sa, 0, sizeof sa);
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigfillset(&sa.sa_mask);
	if (argc > 1 && strcmp(argv[1], "--segv") == 0) {
		sa.sa_sigaction = segv_handler;
		sigaction(SIGSEGV, &sa, NULL);
		volatile int *bad = (volatile int *)0;
		*bad = 7;
		return 0;
	}
	sigemptyset(&mask);
	for (int i = 0; i < 5; i++)
		sigaddset(&mask, watched[i]);
	sigprocmask(SIG_BLOCK, &mask, &old);
	no_usr1 = old;
	sigaddset(&no_usr1, SIGUSR1);
	sa.sa_sigaction = handler;
	for (int i = 0; i < 5; i++)
		sigaction(watched[i], &sa, NULL);
	sa.sa_flags = 0;
	sa.sa_handler = SIG_IGN;
	sigaction(SIGHUP, &sa, NULL);

	say("ready %d\n", getpid(), 0);
	for (;;) {
		sigsuspend(&old);
		while (hits[SIGUSR1] > 0) {
			hits[SIGUSR1]--;
			say("usr1 %d\n", ++usr1_total, 0);
		}
		if (hits[SIGCHLD]) {
			hits[SIGCHLD] = 0;
			reap(0);
		}
		while (hits[SIGUSR2] > 0) {
			pid_t pid;
			hits[SIGUSR2]--;
			pid = fork();
			if (pid == 0) {
				struct timespec t = { 0, 100 * 1000000L };
				nanosleep(&t, NULL);
				_exit(usr1_total % 256);
			}
			running++;
			say("spawn %d\n", pid, 0);
		}
		if (hits[SIGINT]) {
			hits[SIGINT] = 0;
			sigprocmask(SIG_SETMASK, &no_usr1, NULL);
			say("save? [y/n]\n", 0, 0);
			if (read_answer()) {
				reap(1);
				say("saved %d\n", usr1_total, 0);
				return 0;
			}
			say("continue\n", 0, 0);
			sigprocmask(SIG_SETMASK, &mask, NULL);
		}
		if (hits[SIGTERM]) {
			reap(1);
			say("bye %d\n", usr1_total, 0);
			return 0;
		}
	}
}
