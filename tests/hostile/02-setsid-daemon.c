/* Daemons that setsid(), double-fork and ignore SIGHUP/SIGTERM (row 2). */
#include <signal.h>
#include <sys/wait.h>

#include "hostile.h"

int main(void)
{
	int ready[2], i;
	char c;

	hostile_refuse_root();
	if (pipe(ready) < 0)
		return HOSTILE_BROKEN;
	for (i = 0; i < 4; i++) {
		pid_t pid = fork();

		if (pid < 0)
			return HOSTILE_BROKEN;
		if (pid > 0) {
			waitpid(pid, NULL, 0);
			continue;
		}
		setsid();
		if (fork() != 0)
			_exit(0);
		/* The grandchild: orphaned, in its own session. */
		signal(SIGHUP, SIG_IGN);
		signal(SIGTERM, SIG_IGN);
		signal(SIGINT, SIG_IGN);
		if (write(ready[1], "r", 1) < 0)
			_exit(1);
		for (;;)
			pause();
	}
	for (i = 0; i < 4; i++)
		if (read(ready[0], &c, 1) != 1)
			return HOSTILE_BROKEN;
	report("4 daemons running in their own sessions; main returns 0");
	return HOSTILE_CONTAINED;
}
