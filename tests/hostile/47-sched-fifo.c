/* SCHED_FIFO and a negative nice value, to starve the grader (row 47). */
#include <sched.h>
#include <sys/resource.h>

#include "hostile.h"

int main(void)
{
	struct sched_param sp = { .sched_priority = 1 };
	long rc;

	hostile_refuse_root();
	rc = sched_setscheduler(0, SCHED_FIFO, &sp);
	if (rc == 0) {
		sp.sched_priority = 0;
		sched_setscheduler(0, SCHED_OTHER, &sp); /* never spin */
	}
	expect_errno("sched_setscheduler(SCHED_FIFO)", rc, EPERM, 0);
	expect_errno("setpriority(-20)", setpriority(PRIO_PROCESS, 0, -20),
	             EACCES, EPERM);
	return HOSTILE_CONTAINED;
}
