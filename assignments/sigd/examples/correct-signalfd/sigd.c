/* sigd with signalfd(2): every signal is blocked and read as data from a
 * descriptor, so there are no handlers at all (except for SIGSEGV, which
 * must be handled where it happens). */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void segv(int sig)
{
	static const char m[] = "Memory access blows up!\n";
	(void)sig;
	write(STDOUT_FILENO, m, sizeof m - 1);
	_exit(1);
}

static int reap(int options)
{
	int st, n = 0;
	pid_t p;
	while ((p = waitpid(-1, &st, options)) > 0) {
		printf("child %d %d\n", p,
		       WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
		n++;
	}
	return n;
}

int main(int argc, char *argv[])
{
	sigset_t all;
	int sfd, usr1 = 0;

	setlinebuf(stdout);
	if (argc == 2 && !strcmp(argv[1], "--segv")) {
		struct sigaction sa = { .sa_handler = segv };
		sigaction(SIGSEGV, &sa, NULL);
		volatile int *nowhere = NULL;
		*nowhere = 1;
		return 0;
	}
	sigemptyset(&all);
	sigaddset(&all, SIGUSR1);
	sigaddset(&all, SIGUSR2);
	sigaddset(&all, SIGCHLD);
	sigaddset(&all, SIGINT);
	sigaddset(&all, SIGTERM);
	sigaddset(&all, SIGHUP);
	sigprocmask(SIG_BLOCK, &all, NULL);
	sfd = signalfd(-1, &all, SFD_CLOEXEC);
	if (sfd < 0) {
		perror("signalfd");
		return 1;
	}
	printf("ready %d\n", getpid());
	for (;;) {
		struct signalfd_siginfo si;
		if (read(sfd, &si, sizeof si) != sizeof si)
			continue;
		switch (si.ssi_signo) {
		case SIGUSR1:
			printf("usr1 %d\n", ++usr1);
			break;
		case SIGUSR2: {
			pid_t kid = fork();
			if (kid == 0) {
				struct timespec t = { 0, 100000000 };
				nanosleep(&t, NULL);
				_exit(usr1 % 256);
			}
			printf("spawn %d\n", kid);
			break;
		}
		case SIGCHLD:
			reap(WNOHANG);
			break;
		case SIGHUP:
			break;
		case SIGINT: {
			/* SIGUSR1 stays blocked (as always here) and is read
			 * from sfd after the answer. */
			char line[32];
			printf("save? [y/n]\n");
			if (fgets(line, sizeof line, stdin) && line[0] == 'y') {
				reap(0);
				printf("saved %d\n", usr1);
				return 0;
			}
			printf("continue\n");
			break;
		}
		case SIGTERM:
			reap(0);
			printf("bye %d\n", usr1);
			return 0;
		}
	}
}
