/* Ignores every catchable signal, then spins (row 13). */
#include <signal.h>

#include "hostile.h"

int main(void)
{
	volatile unsigned long n = 0;
	int sig;

	hostile_refuse_root();
	for (sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_IGN); /* SIGKILL, SIGSTOP: EINVAL */
	for (;;)
		n++;
}
