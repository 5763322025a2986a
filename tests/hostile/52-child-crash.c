/* A child crashes, the parent still exits 0 (row 52). */
#include <signal.h>
#include <sys/wait.h>

#include "hostile.h"

int main(void)
{
	int status;
	pid_t pid;

	hostile_refuse_root();
	pid = fork();
	if (pid == 0) {
		raise(SIGSEGV);
		_exit(1);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return HOSTILE_BROKEN;
	report("child ended by signal %d; parent exits 0",
	       WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	return HOSTILE_CONTAINED;
}
