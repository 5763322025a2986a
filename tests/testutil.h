/*
 * testutil.h - small helpers shared by the Check suites.
 *
 * test_tier_available(TIER_FULL) tells whether a tier can run here (and
 * prints a skip note once when it cannot); test_run_sh() runs a shell
 * command in the sandbox with small limits.
 */
#ifndef TESTS_TESTUTIL_H
#define TESTS_TESTUTIL_H

#include <stdbool.h>

#include "sandbox.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

bool test_tier_available(enum sandbox_tier t);

/* IPCGRADE_EXAMPLES_PART=K/N: whether grading i is in part K (every N-th
 * from the K-th), so that make check runs the parts side by side. */
bool test_in_part(int i);

/* Run `sh -c script` in tier t with limits l (zero fields: small test
 * defaults) and stdin `in` (may be NULL). Fails the test on a sandbox
 * error. Release *res afterwards. */
void test_run_sh(enum sandbox_tier t, const char *script,
                 const struct sandbox_limits *l, const char *in,
                 struct sandbox_result *res);

#endif
