/*
 * Two bugs, the second hidden by the first. A child that has served its
 * client does not exit: it returns into the accept loop, where accept()
 * on the listening socket it closed fails at once, for ever, so it spins.
 * And the SIGCHLD handler reaps one child per signal, though signals
 * coalesce: children that end together are left zombies.
 */
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static void on_chld(int sig)
{
	int e = errno;

	(void)sig;
	wait(NULL); /* one per signal */
	errno = e;
}

static void serve(int fd)
{
	char buf[4096];

	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			return; /* the bug: to the accept loop, not _exit() */
		for (char *p = buf; n > 0;) {
			ssize_t k = write(fd, p, (size_t)n);
			if (k < 0)
				return;
			p += k;
			n -= k;
		}
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct sigaction term = { .sa_handler = on_term };
	struct sigaction chld = { .sa_handler = on_chld,
		                  .sa_flags = SA_RESTART };
	int one = 1, lfd;

	if (argc != 2)
		return 2;
	signal(SIGPIPE, SIG_IGN);
	sigaction(SIGTERM, &term, NULL);
	sigaction(SIGCHLD, &chld, NULL);
	a.sin_port = htons(atoi(argv[1]));
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(lfd, SOMAXCONN) < 0) {
		perror("bind");
		return 1;
	}
	while (!stop) {
		int c = accept(lfd, NULL, NULL);
		pid_t pid;
		if (c < 0)
			continue;
		pid = fork();
		if (pid == 0) {
			close(lfd);
			signal(SIGTERM, SIG_DFL);
			serve(c);
		}
		close(c);
	}
	close(lfd);
	return 0;
}
