/* Zombie farm: fork children that exit, never wait for them (row 14). */
#include "hostile.h"

int main(void)
{
	long n;
	pid_t pid;

	hostile_refuse_root();
	for (n = 0; n < 100000; n++) {
		pid = fork();
		if (pid == 0)
			_exit(0);
		if (pid < 0) {
			report("fork #%ld -> %s", n + 1, errname(errno));
			return errno == EAGAIN ? HOSTILE_CONTAINED
			                       : HOSTILE_ODD;
		}
	}
	report("%ld zombies and no limit", n);
	return HOSTILE_ESCAPED;
}
