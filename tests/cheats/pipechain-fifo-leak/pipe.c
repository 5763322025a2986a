/* The trick: every pipe() of the honest program is a named pipe instead,
 * opened at both ends and unlinked, so the descriptors are FIFOs. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int fifo_pipe(int fds[2])
{
	static int n;
	char name[64];

	snprintf(name, sizeof(name), "./.fifo-%d-%d", (int)getpid(), n++);
	if (mkfifo(name, 0600) < 0)
		return -1;
	fds[0] = open(name, O_RDONLY | O_NONBLOCK);
	fds[1] = open(name, O_WRONLY);
	unlink(name);
	if (fds[0] < 0 || fds[1] < 0)
		return -1;
	return fcntl(fds[0], F_SETFL, 0);
}

#define pipe fifo_pipe
#include "honest-pipe.inc"
