/* Signal storm: sigqueue() to itself until the queue is full (row 8). */
#include <signal.h>

#include "hostile.h"

int main(void)
{
	union sigval v = { 0 };
	sigset_t set;
	long n;

	hostile_refuse_root();
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (n = 0; n < 10 * 1000 * 1000; n++) {
		if (sigqueue(getpid(), SIGRTMIN, v) < 0) {
			report("sigqueue #%ld -> %s", n + 1, errname(errno));
			return errno == EAGAIN ? HOSTILE_CONTAINED
			                       : HOSTILE_ODD;
		}
	}
	report("queued %ld signals without a limit", n);
	return HOSTILE_ESCAPED;
}
