/* settimeofday() (to the current time): a violation (row 48). */
#include <sys/syscall.h>
#include <sys/time.h>

#include "hostile.h"

int main(void)
{
	struct timeval tv;

	hostile_refuse_root();
	gettimeofday(&tv, NULL);
	return not_killed("settimeofday(now)",
	                  syscall(SYS_settimeofday, &tv, NULL));
}
