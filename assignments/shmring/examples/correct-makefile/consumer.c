/*
 * consumer.c - ./consumer [-p P] NAME
 *
 * Takes slots out of the ring and writes them to stdout, or to out.K for
 * producer K when -p is given.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ring_util.h"

static void write_all(int fd, const unsigned char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n == -1) {
			if (errno == EINTR)
				continue;
			die("write");
		}
		buf += n;
		len -= (size_t)n;
	}
}

int main(int argc, char *argv[])
{
	static unsigned char buf[RING_SLOT_SIZE];
	int nprod = 1, with_p = 0, ended = 0, c;
	struct ring *r;
	int *fd;

	while ((c = getopt(argc, argv, "p:")) != -1) {
		switch (c) {
		case 'p':
			nprod = atoi(optarg);
			with_p = 1;
			break;
		default:
			fprintf(stderr, "usage: %s [-p P] NAME\n", argv[0]);
			return 1;
		}
	}
	if (optind != argc - 1 || nprod <= 0) {
		fprintf(stderr, "usage: %s [-p P] NAME\n", argv[0]);
		return 1;
	}

	fd = malloc(nprod * sizeof(int));
	if (!fd)
		die("malloc");
	fd[0] = STDOUT_FILENO;
	for (int k = 0; with_p && k < nprod; k++) {
		char path[32];

		snprintf(path, sizeof(path), "out.%d", k);
		fd[k] = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd[k] == -1)
			die(path);
	}

	r = ring_attach(argv[optind]);

	while (ended < nprod) {
		uint32_t id;
		uint32_t len = ring_get(r, &id, buf);

		if (!with_p)
			id = 0;
		if (len > RING_SLOT_SIZE || id >= (uint32_t)nprod) {
			fprintf(stderr, "%s: bad slot from producer %u\n",
			        argv[0], id);
			return 1;
		}
		if (len == 0)
			ended++;
		else
			write_all(fd[id], buf, len);
	}

	if (shm_unlink(argv[optind]) == -1)
		die("shm_unlink");
	ring_detach(r);
	for (int k = 0; with_p && k < nprod; k++)
		close(fd[k]);
	free(fd);
	return 0;
}
