/* Echo client: a child process sends stdin, the parent prints the echo. */
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai;
	char buf[4096];
	ssize_t n;
	pid_t pid;
	int fd;

	if (argc != 3)
		return 1;
	signal(SIGPIPE, SIG_IGN);
	if (getaddrinfo(argv[1], argv[2], &hints, &ai) != 0) {
		fprintf(stderr, "client: unknown host %s\n", argv[1]);
		return 1;
	}
	fd = socket(ai->ai_family, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		perror("client: connect");
		return 1;
	}
	pid = fork();
	if (pid == 0) {
		while ((n = read(0, buf, sizeof(buf))) > 0)
			for (char *p = buf; n > 0;) {
				ssize_t k = write(fd, p, (size_t)n);
				if (k < 0)
					_exit(1);
				p += k;
				n -= k;
			}
		shutdown(fd, SHUT_WR);
		_exit(0);
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		for (char *p = buf; n > 0;) {
			ssize_t k = write(1, p, (size_t)n);
			if (k < 0)
				return 1;
			p += k;
			n -= k;
		}
	waitpid(pid, NULL, 0);
	return 0;
}
