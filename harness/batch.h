/*
 * batch.h - grade every submission folder of ROOT into an output folder.
 *
 * batch_run(&a, root, outdir, &opts, &stats): one forked worker per
 * submission in flight (opts.jobs at once), each result written atomically
 * to OUTDIR/results/NAME.json as it ends, then grades.csv and summary.json.
 */
#ifndef HARNESS_BATCH_H
#define HARNESS_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "assignment.h"

struct batch_options {
	unsigned jobs;           /* gradings at once; 0: the CPUs we have */
	unsigned shard, nshards; /* grade shard K of N (1-based); N 0: all */
	bool resume;             /* keep finished results of an earlier run */
	const char *const *only; /* test ids; NULL: every test */
	enum sandbox_tier tier;
	uint64_t seed;  /* every grading's data from it; 0: a fresh one each */
	FILE *progress; /* where progress goes (stderr) */
	bool bar;       /* a redrawn bar (a tty) or one line each */
};

struct batch_stats {
	size_t total;   /* submissions in this shard */
	size_t resumed; /* finished earlier and kept */
	size_t graded;  /* graded now, whatever the score */
	size_t build_failed, errors;
	bool interrupted; /* SIGINT, SIGTERM or SIGHUP stopped it */
	char msg[512];    /* why batch_run() failed */
};

/* Returns 0 (see stats), -EEXIST (OUTDIR holds another run: resume or
 * pick another), -EINVAL (OUTDIR belongs to another assignment, shard or
 * test selection) or -errno; stats->msg says which. */
int batch_run(const struct assignment *a, const char *root, const char *outdir,
              const struct batch_options *o, struct batch_stats *stats);

/* The sub-folders of root (no dot names), sorted by strcmp. *names is a
 * new array of new strings (gradebook_free_names()). Count or -errno. */
long batch_list(const char *root, char ***names);

/* The shard (1..n) a submission belongs to: a 64-bit hash of its name
 * (FNV-1a, then MurmurHash3's finaliser) mod n, plus 1. It never depends
 * on which other submissions exist. */
unsigned batch_shard_of(const char *name, unsigned n);

/* Combine the output folders of every shard of one batch into outdir, as
 * one unsharded run would have written it. 0 or -errno; msg says why. */
int batch_merge(const char *const *dirs, size_t ndirs, const char *outdir,
                char *msg, size_t msglen);

#endif
