/*
 * launch.c - `make bench`: median launch time of /bin/true, side by side.
 *
 * Bare fork/exec/wait, the sandbox library in each tier, the ipcgrade
 * command, and bwrap --unshare-all; one launcher after the other in every
 * round, so load hits all of them alike. Prints medians and ratios to bare.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sandbox.h"

#define ROUNDS 200
#define WARMUP 20

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int spawn_wait(const char *const argv[])
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		dup2(null, 2);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static const char *ipcgrade_bin;

static int bare(void)
{
	const char *argv[] = { "/bin/true", NULL };
	return spawn_wait(argv);
}

static int in_sandbox(enum sandbox_tier t)
{
	const char *argv[] = { "/bin/true", NULL };
	struct sandbox_config cfg = SANDBOX_CONFIG_INIT;
	struct sandbox_result res;
	int err;

	cfg.argv = argv;
	cfg.tier = t;
	err = sandbox_run(&cfg, &res);
	if (!err && (res.status != SANDBOX_EXITED || res.exit_code))
		err = -1;
	sandbox_result_release(&res);
	return err;
}

static int full(void)
{
	return in_sandbox(TIER_FULL);
}

static int basic(void)
{
	return in_sandbox(TIER_BASIC);
}

static int cli(void)
{
	const char *argv[] = { ipcgrade_bin, "sandbox", "--", "/bin/true",
		               NULL };
	return spawn_wait(argv);
}

static int bwrap(void)
{
	const char *argv[] = { "/usr/bin/bwrap",
		               "--unshare-all",
		               "--ro-bind",
		               "/",
		               "/",
		               "/bin/true",
		               NULL };
	return spawn_wait(argv);
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	struct {
		const char *name;
		int (*run)(void);
		bool on;
		double t[ROUNDS];
	} l[] = {
		{ "bare fork/exec/wait", bare, true, { 0 } },
		{ "ipcgrade sandbox library, full tier", full, true, { 0 } },
		{ "ipcgrade sandbox library, basic tier", basic, true, { 0 } },
		{ "`ipcgrade sandbox -- /bin/true` (full)", cli, true, { 0 } },
		{ "bwrap --unshare-all --ro-bind / /", bwrap, true, { 0 } },
	};
	size_t n = sizeof(l) / sizeof(*l);
	double bare_median = 0;

	ipcgrade_bin = argc > 1 ? argv[1] : "build/ipcgrade";
	l[1].on = probe_pick_tier(TIER_FULL) == TIER_FULL;
	l[2].on = probe_pick_tier(TIER_BASIC) == TIER_BASIC;
	l[3].on = l[1].on && access(ipcgrade_bin, X_OK) == 0;
	l[4].on = access("/usr/bin/bwrap", X_OK) == 0;
	for (size_t i = 0; i < n; i++)
		for (int w = 0; w < WARMUP && l[i].on; w++)
			if (l[i].run() != 0) {
				fprintf(stderr, "bench: '%s' fails; left out\n",
				        l[i].name);
				l[i].on = false;
			}
	for (int r = 0; r < ROUNDS; r++)
		for (size_t i = 0; i < n; i++) {
			double t0 = now_ms();
			if (!l[i].on)
				continue;
			l[i].run();
			l[i].t[r] = now_ms() - t0;
		}
	printf("launch of /bin/true, %d rounds, median and 90th percentile\n\n",
	       ROUNDS);
	printf("%-42s %10s %10s %8s\n", "launcher", "median ms", "p90 ms",
	       "x bare");
	for (size_t i = 0; i < n; i++) {
		double med, p90;
		if (!l[i].on) {
			printf("%-42s %10s\n", l[i].name, "(unavailable)");
			continue;
		}
		qsort(l[i].t, ROUNDS, sizeof(double), cmp);
		med = l[i].t[ROUNDS / 2];
		p90 = l[i].t[ROUNDS * 9 / 10];
		if (i == 0)
			bare_median = med;
		printf("%-42s %10.3f %10.3f %8.2f\n", l[i].name, med, p90,
		       med / bare_median);
	}
	return 0;
}
