/* kill() the parent (the harness side) and killpg() its group (row 6). */
#include <signal.h>
#include <time.h>

#include "hostile.h"

/* A killed parent shows up as a changed getppid() (we get reparented). */
static int parent_survived(pid_t ppid)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	int i;

	for (i = 0; i < 20; i++) {
		if (getppid() != ppid)
			return 0;
		nanosleep(&ts, NULL);
	}
	return 1;
}

int main(void)
{
	pid_t ppid, pgid;
	int rc;

	hostile_refuse_root();
	ppid = getppid();
	pgid = getpgid(ppid);
	rc = kill(ppid, SIGKILL);
	report("kill(parent %d, SIGKILL) -> %s", (int)ppid,
	       rc ? errname(errno) : "0");
	if (rc == 0 && !parent_survived(ppid))
		return HOSTILE_ESCAPED;
	if (pgid <= 0) {
		/* 0: the group lives outside our PID namespace. */
		report("getpgid(parent) -> %s", pgid ? errname(errno) : "0");
	} else if (pgid == getpgrp()) {
		report("parent shares our process group %d", (int)pgid);
		return HOSTILE_ESCAPED;
	} else {
		rc = killpg(pgid, SIGKILL);
		report("killpg(parent's group %d) -> %s", (int)pgid,
		       rc ? errname(errno) : "0");
		if (rc == 0 && !parent_survived(ppid))
			return HOSTILE_ESCAPED;
	}
	return HOSTILE_CONTAINED;
}
