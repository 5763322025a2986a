/* Stops every child with SIGSTOP, then raise(SIGSTOP) (row 12). */
#include <signal.h>

#include "hostile.h"

int main(void)
{
	pid_t kids[3];
	int i;

	hostile_refuse_root();
	for (i = 0; i < 3; i++) {
		kids[i] = fork();
		if (kids[i] == 0)
			for (;;)
				pause();
		if (kids[i] > 0)
			kill(kids[i], SIGSTOP);
	}
	raise(SIGSTOP);
	report("woke up from SIGSTOP");
	return HOSTILE_ODD;
}
