/* Echo server: fork() per client; a SIGCHLD handler reaps the children. */
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	errno = e;
}

static void serve(int fd)
{
	char buf[4096];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		char *p = buf;
		while (n > 0) {
			ssize_t k = write(fd, p, (size_t)n);
			if (k < 0)
				_exit(0);
			p += k;
			n -= k;
		}
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct sigaction term = { .sa_handler = on_term };
	struct sigaction chld = { .sa_handler = on_chld,
		                  .sa_flags = SA_RESTART | SA_NOCLDSTOP };
	int one = 1, lfd;

	if (argc != 2)
		return 2;
	signal(SIGPIPE, SIG_IGN);
	sigaction(SIGTERM, &term, NULL); /* no SA_RESTART: accept() ends */
	sigaction(SIGCHLD, &chld, NULL);
	a.sin_port = htons(atoi(argv[1]));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
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
