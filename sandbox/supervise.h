/*
 * supervise.h - internal to sandbox/: the supervisor's loop over a run and
 * the decision on how it ended, for sandbox_run() (supervise.c).
 */
#ifndef SANDBOX_SUPERVISE_H
#define SANDBOX_SUPERVISE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "cgroup.h"
#include "run.h"

struct watch {
	double start, deadline, next_tick, tick, tick_max, kill_sent;
	bool killed, timeout_cpu, timeout_wall, output_over, violation;
	bool stopped;
	bool done, out_eof, err_eof;
	bool lingering, finish_sent; /* KMSG_LINGER came; CTL_FINISH went */
	size_t in_off;
	int listener;
	struct keeper_msg started, final;
	bool have_final, setup_failed;
	double cpu_seen;
	uint64_t rss_peak;
	pid_t keeper, main; /* host pids; main: 0 until known */
};

/* Until the keeper reports the end (and the output is drained). */
void supervise(struct run *r, struct watch *w, struct sandbox_result *res);
/* res->status, message and codes from what the run showed. */
void decide(const struct run *r, const struct watch *w,
            const struct cgroup_stats *cs, struct sandbox_result *res);

#endif
