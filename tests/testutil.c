#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool test_tier_available(enum sandbox_tier t)
{
	static bool noted[3];

	if (probe_pick_tier(t) == (int)t)
		return true;
	if (!noted[t]) {
		noted[t] = true;
		fprintf(stderr,
		        "note: the %s tier is unavailable here; its "
		        "tests are skipped\n",
		        probe_tier_name(t));
	}
	return false;
}

void test_run_sh(enum sandbox_tier t, const char *script,
                 const struct sandbox_limits *l, const char *in,
                 struct sandbox_result *res)
{
	const char *argv[] = { "/bin/sh", "-c", script, NULL };
	struct sandbox_config cfg = SANDBOX_CONFIG_INIT;
	int err;

	cfg.argv = argv;
	cfg.tier = t;
	cfg.limits = l ? *l : (struct sandbox_limits){ 0 };
	if (!cfg.limits.cpu_seconds)
		cfg.limits.cpu_seconds = 2;
	if (!cfg.limits.wall_seconds)
		cfg.limits.wall_seconds = 10;
	if (!cfg.limits.memory_bytes)
		cfg.limits.memory_bytes = 128 << 20;
	if (!cfg.limits.output_bytes)
		cfg.limits.output_bytes = 256 << 10;
	if (in) {
		cfg.stdin_data = in;
		cfg.stdin_len = strlen(in);
	}
	err = sandbox_run(&cfg, res);
	ck_assert_msg(err == 0, "sandbox_run(%s, '%s') failed: %s (%s)",
	              probe_tier_name(t), script, strerror(-err), res->message);
}

bool test_in_part(int i)
{
	const char *p = getenv("IPCGRADE_EXAMPLES_PART");
	int k, n;

	if (!p || sscanf(p, "%d/%d", &k, &n) != 2 || n < 1)
		return true;
	return i % n == k;
}
