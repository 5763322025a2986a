/* The trick: an object named "x\nend\n" before the honest consumer runs,
 * so that a line-based report of /dev/shm would end at its name. */
#define main honest_main
#include "honest-consumer.inc"
#undef main

#include <fcntl.h>
#include <sys/mman.h>

int main(int argc, char **argv)
{
	int fd = shm_open("/x\nend\n", O_CREAT | O_RDWR, 0600);

	if (fd >= 0) {
		if (ftruncate(fd, 1) < 0)
			perror("ftruncate");
		close(fd);
	}
	return honest_main(argc, argv);
}
