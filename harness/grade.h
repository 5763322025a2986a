/*
 * grade.h - grade one submission of one assignment: the engine's recipe.
 *
 * grade_run(&a, dir, &opts, &r): build the reference and the submission in
 * the sandbox, run each selected test through its driver, score. A failed
 * build is a graded result (status build_failed); -errno means the harness
 * or the assignment is broken (r.error says which). result_release(&r).
 */
#ifndef HARNESS_GRADE_H
#define HARNESS_GRADE_H

#include <stdbool.h>
#include <stdint.h>

#include "assignment.h"
#include "result.h"

struct grade_options {
	enum sandbox_tier tier;
	const char *const *only; /* test ids; NULL: every test */
	bool visible_only;       /* student mode (ipcgrade check) */
	const char *command;     /* how the user called us, for the
	                            re-run lines: "ipcgrade grade" */
	/* What the tests' data (contents, sizes) is drawn from; 0: a fresh
	 * one. The result records it: the same seed regrades the same. */
	uint64_t seed;
};

int grade_run(const struct assignment *a, const char *dir,
              const struct grade_options *o, struct result *r);

#endif
