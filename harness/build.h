/*
 * build.h - build a submission (or the reference) inside the sandbox.
 *
 * build_run(a, src, tier, hide, &b) copies src into a fresh folder (regular
 * files and folders only), adds the assignment's supplied files, compiles there
 * under the sandbox, and gives the result back to root so no later run can
 * change it. Read b.ok, b.log and b.program, then build_release(&b), which
 * removes the folder.
 */
#ifndef HARNESS_BUILD_H
#define HARNESS_BUILD_H

#include <stdbool.h>

#include "assignment.h"
#include "provenance.h"

struct build {
	bool ok;
	double seconds;
	char *log;     /* what the build printed, and why it failed */
	char *program; /* absolute path of the (first) built program */
	char *bindir;  /* the folder holding every built program */
	char *dir;     /* the build folder */
	char hash[PROVENANCE_LEN]; /* of the sources as copied, before the
	                              build (provenance.h) */
};

/* Returns 0 (b->ok says whether it built) or -errno when the harness
 * failed; b->log then says why. */
int build_run(const struct assignment *a, const char *src,
              enum sandbox_tier tier, const char *const *hide, struct build *b);
void build_release(struct build *b);

#endif
