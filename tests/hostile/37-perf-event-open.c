/* perf_event_open() on itself, user space only: a violation (row 37). */
#include <linux/perf_event.h>
#include <sys/syscall.h>

#include "hostile.h"

int main(void)
{
	struct perf_event_attr attr = { .type = PERF_TYPE_SOFTWARE,
		                        .size = sizeof(attr),
		                        .config = PERF_COUNT_SW_CPU_CLOCK,
		                        .exclude_kernel = 1,
		                        .exclude_hv = 1 };

	hostile_refuse_root();
	return not_killed("perf_event_open(self)",
	                  syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0));
}
