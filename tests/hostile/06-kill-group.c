/* kill(0, SIGKILL): kills its own group, which holds no harness (row 6). */
#include <signal.h>

#include "hostile.h"

int main(void)
{
	hostile_refuse_root();
	if (fork() == 0)
		for (;;)
			pause();
	report("kill(0, SIGKILL) from process group %d", (int)getpgrp());
	kill(0, SIGKILL);
	report("kill(0, SIGKILL) -> %s: still alive", errname(errno));
	return HOSTILE_ODD;
}
