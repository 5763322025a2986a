/*
 * progress.h - what a batch shows while it runs, on stderr.
 *
 * progress_start(&p, f, bar, total, already), then progress_done() as each
 * submission ends, progress_tick() now and then, progress_end(). A bar
 * redraws one line (done/total, failures, elapsed, ETA); else a line each.
 */
#ifndef HARNESS_PROGRESS_H
#define HARNESS_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct progress {
	FILE *f;
	bool bar;
	size_t total, done, already, failures;
	double t0;
	bool drawn; /* the bar is on screen */
};

void progress_start(struct progress *p, FILE *f, bool bar, size_t total,
                    size_t already);

/* One submission ended: status is the result's ("graded", "build_failed",
 * "error"). */
void progress_done(struct progress *p, const char *name, const char *status,
                   double score, double max, double seconds);

/* Redraw the bar (elapsed time moves on); nothing without a bar. */
void progress_tick(struct progress *p);

void progress_end(struct progress *p);

/* Monotonic seconds. */
double progress_now(void);

#endif
