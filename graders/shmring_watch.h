/*
 * shmring_watch.h - the shmring driver's watch over a run: a sandbox tick
 * (watch_tick, with a struct watch as its argument) that finds the ring's
 * programs, reads what each sleeps on and the ring's header, and, when all
 * are asleep and nothing moves, ends them and explains the hang.
 */
#ifndef GRADERS_SHMRING_WATCH_H
#define GRADERS_SHMRING_WATCH_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "ring_layout.h"
#include "sandbox.h"

/* All live programs asleep on futexes and nothing moved, over this long
 * and this many samples in a row: a hang. Waits on the harness's own
 * pacing (pipes) and timed sleeps never count. */
#define QUIET_SECONDS 0.3
#define QUIET_SAMPLES 5

struct member {
	pid_t pid;
	char label[64]; /* "the student consumer" */
	bool gone;
	int sem;       /* the field it waits on, -1 none, -2 futex elsewhere */
	bool piped;    /* blocked on a pipe to or from the conductor */
	char wait[64]; /* what it waits on otherwise */
	double cpu;
};

struct watch {
	const struct ring_layout *lay;
	char object[64]; /* "/ipcgrade-ring-N" */
	bool killed;     /* the hung programs were ended */
	struct member m[24];
	int nm;
	unsigned char ring[RING_HEADER_MAX];
	bool have_ring;
	uint64_t last_sig;
	int quiet;
	double quiet_since;
	bool hung;
	char why[1536];
	char headline[512]; /* who waits on what, in one line */
};

/* The tick: set lay and object before the run, the rest zeroed. */
int watch_tick(void *arg, const struct sandbox_tick *t);

#endif
