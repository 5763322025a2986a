/* sigd with the self-pipe trick: each handler writes its signal's number
 * into a pipe; the main loop sleeps in poll() on the pipe and acts on
 * each byte. A byte per handler run keeps the SIGUSR1 count exact. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int selfpipe[2];
static int count;

static void on_signal(int sig)
{
	int saved = errno;
	unsigned char b = (unsigned char)sig;
	if (write(selfpipe[1], &b, 1) < 0) {
		/* pipe full: the main loop is far behind; drop it */
	}
	errno = saved;
}

static void on_segv(int sig)
{
	(void)sig;
	write(1, "Memory access blows up!\n", 24);
	_exit(1);
}

static void child_line(pid_t pid, int status)
{
	printf("child %d %d\n", (int)pid,
	       WIFEXITED(status) ? WEXITSTATUS(status)
	                         : 128 + WTERMSIG(status));
}

static void reap_all(int flags)
{
	int status;
	pid_t pid;
	while ((pid = waitpid(-1, &status, flags)) > 0)
		child_line(pid, status);
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	int sigs[] = { SIGUSR1, SIGUSR2, SIGCHLD, SIGINT, SIGTERM };
	sigset_t usr1;

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
	if (pipe2(selfpipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		perror("pipe2");
		return 1;
	}
	sa.sa_handler = on_signal;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGHUP, &sa, NULL);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);

	printf("ready %d\n", (int)getpid());
	for (;;) {
		struct pollfd p = { .fd = selfpipe[0], .events = POLLIN };
		unsigned char b;
		if (poll(&p, 1, -1) < 0 && errno != EINTR) {
			perror("poll");
			return 1;
		}
		while (read(selfpipe[0], &b, 1) == 1) {
			switch (b) {
			case SIGUSR1:
				printf("usr1 %d\n", ++count);
				break;
			case SIGUSR2: {
				pid_t pid = fork();
				if (pid == 0) {
					usleep(100000);
					_exit(count % 256);
				}
				printf("spawn %d\n", (int)pid);
				break;
			}
			case SIGCHLD:
				reap_all(WNOHANG);
				break;
			case SIGINT: {
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
				break;
			}
			case SIGTERM:
				reap_all(0);
				printf("bye %d\n", count);
				exit(0);
			}
		}
	}
}
