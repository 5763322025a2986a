/* A background child keeps running after main returns 0 (row 4). */
#include "hostile.h"

int main(void)
{
	int ready[2];
	char c;
	pid_t pid;

	hostile_refuse_root();
	if (pipe(ready) < 0)
		return HOSTILE_BROKEN;
	pid = fork();
	if (pid < 0)
		return HOSTILE_BROKEN;
	if (pid == 0) {
		close(ready[0]);
		close(ready[1]); /* EOF tells the parent it runs */
		for (;;)
			sleep(1000);
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) != 0)
		return HOSTILE_BROKEN;
	report("left child %d running; main returns 0", (int)pid);
	return HOSTILE_CONTAINED;
}
