/* clock_settime(CLOCK_REALTIME), to now: a violation (row 48). */
#include <sys/syscall.h>
#include <time.h>

#include "hostile.h"

int main(void)
{
	struct timespec ts;

	hostile_refuse_root();
	clock_gettime(CLOCK_REALTIME, &ts);
	return not_killed("clock_settime(CLOCK_REALTIME, now)",
	                  syscall(SYS_clock_settime, CLOCK_REALTIME, &ts));
}
