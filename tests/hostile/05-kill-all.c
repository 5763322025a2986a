/* kill(-1, SIGKILL): must reach only the sandbox's own processes (row 5). */
#include <signal.h>
#include <sys/wait.h>

#include "hostile.h"

int main(void)
{
	int ready[2], status;
	char c;
	pid_t pid;

	hostile_refuse_root();
	if (pipe(ready) < 0)
		return HOSTILE_BROKEN;
	pid = fork();
	if (pid < 0)
		return HOSTILE_BROKEN;
	if (pid == 0) {
		close(ready[1]);
		for (;;)
			pause();
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) != 0)
		return HOSTILE_BROKEN;
	/* Linux never signals the caller itself with kill(-1). */
	if (kill(-1, SIGKILL) < 0) {
		report("kill(-1, SIGKILL) -> %s", errname(errno));
		return HOSTILE_ODD;
	}
	if (waitpid(pid, &status, 0) != pid || !WIFSIGNALED(status))
		return HOSTILE_BROKEN;
	report("kill(-1, SIGKILL) -> 0; own child killed, caller alive");
	return HOSTILE_CONTAINED;
}
