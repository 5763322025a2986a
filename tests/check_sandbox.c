/*
 * check_sandbox.c - how runs end, and what the program sees, in each tier.
 *
 * Table-driven: every row runs in the full and in the basic tier (the loop
 * index is row * 2 + tier), and names its row in each assertion.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"
#include "hostcache.h"
#include "slot.h"

#include "suites.h"
#include "testutil.h"

static const enum sandbox_tier tiers[] = { TIER_FULL, TIER_BASIC };

#define NOLIMITS                                                               \
	{                                                                      \
		.cpu_seconds = 0                                               \
	}

static const struct {
	const char *script;
	struct sandbox_limits limits;
	enum sandbox_status status;
	int code;        /* exit code, or signal when SIGNALED */
	const char *out; /* substring of stdout, or NULL */
} endings[] = {
	{ "exit 0", NOLIMITS, SANDBOX_EXITED, 0, NULL },
	{ "exit 3", NOLIMITS, SANDBOX_EXITED, 3, NULL },
	{ "exit 256", NOLIMITS, SANDBOX_EXITED, 0, NULL }, /* taken mod 256 */
	{ "echo hi", NOLIMITS, SANDBOX_EXITED, 0, "hi\n" },
	{ "kill -SEGV $$", NOLIMITS, SANDBOX_SIGNALED, SIGSEGV, NULL },
	{ "kill -ABRT $$", NOLIMITS, SANDBOX_SIGNALED, SIGABRT, NULL },
	/* CPU time of the whole tree, not per process. */
	{ "while :; do :; done",
	  { .cpu_seconds = 0.5 },
	  SANDBOX_TIMEOUT,
	  0,
	  NULL },
	{ "for i in 1 2 3; do (while :; do :; done) & done; wait",
	  { .cpu_seconds = 0.6 },
	  SANDBOX_TIMEOUT,
	  0,
	  NULL },
	/* Wall time: blocked, no CPU used. */
	{ "sleep 30",
	  { .cpu_seconds = 1, .wall_seconds = 0.5 },
	  SANDBOX_TIMEOUT,
	  0,
	  NULL },
	{ "yes",
	  { .output_bytes = 64 << 10 },
	  SANDBOX_OUTPUT_LIMIT,
	  0,
	  "y\ny\n" },
	{ "exec head -c 3000000 /dev/zero > big",
	  { .file_bytes = 1 << 20 },
	  SANDBOX_FILE_LIMIT,
	  0,
	  NULL },
	{ "exec /no/such/program", NOLIMITS, SANDBOX_EXITED, 127, NULL },
	/* The program never runs as root, never has a terminal, and gets a
	 * clean environment. */
	{ "test \"$(id -u)\" -ge 61000", NOLIMITS, SANDBOX_EXITED, 0, NULL },
	{ "tty", NOLIMITS, SANDBOX_EXITED, 1, "not a tty" },
	{ "env | sort | cut -d= -f1 | tr '\\n' ' '", NOLIMITS, SANDBOX_EXITED,
	  0, "HOME IPCGRADE_PORTS LC_ALL PATH PWD TMPDIR " },
	/* Only 0, 1, 2 are open (ls adds the one for the directory). */
	{ "ls /proc/self/fd | tr '\\n' ' '", NOLIMITS, SANDBOX_EXITED, 0,
	  "0 1 2 3 " },
	/* stderr is opened for reading and writing. */
	{ "test -r /dev/stderr && test -w /dev/stderr && echo rw", NOLIMITS,
	  SANDBOX_EXITED, 0, "rw" },
	/* No way back to a privileged state. */
	{ "grep NoNewPrivs /proc/self/status", NOLIMITS, SANDBOX_EXITED, 0,
	  "1" },
	{ "grep Seccomp: /proc/self/status", NOLIMITS, SANDBOX_EXITED, 0, "2" },
	/* A work dir the program may write in. */
	{ "echo x > f && cat f", NOLIMITS, SANDBOX_EXITED, 0, "x" },
};

START_TEST(test_sandbox_run_reports_ending)
{
	int row = _i / 2;
	enum sandbox_tier t = tiers[_i % 2];
	struct sandbox_result res;

	if (!test_tier_available(t))
		return;
	test_run_sh(t, endings[row].script, &endings[row].limits, NULL, &res);
	ck_assert_msg(res.status == endings[row].status,
	              "row %d (%s) [%s]: status %s, want %s (%s)", row,
	              endings[row].script, probe_tier_name(t),
	              sandbox_status_name(res.status),
	              sandbox_status_name(endings[row].status), res.message);
	if (res.status == SANDBOX_EXITED)
		ck_assert_msg(res.exit_code == endings[row].code,
		              "row %d (%s) [%s]: exit %d, want %d", row,
		              endings[row].script, probe_tier_name(t),
		              res.exit_code, endings[row].code);
	if (res.status == SANDBOX_SIGNALED)
		ck_assert_msg(res.signal == endings[row].code,
		              "row %d (%s) [%s]: signal %d, want %d", row,
		              endings[row].script, probe_tier_name(t),
		              res.signal, endings[row].code);
	if (endings[row].out)
		ck_assert_msg(
		    res.out.data && strstr(res.out.data, endings[row].out),
		    "row %d (%s) [%s]: stdout '%s' lacks '%s'", row,
		    endings[row].script, probe_tier_name(t),
		    res.out.data ? res.out.data : "", endings[row].out);
	ck_assert_msg(res.uid >= 61000, "row %d: ran as uid %d", row,
	              (int)res.uid);
	sandbox_result_release(&res);
}
END_TEST

START_TEST(test_sandbox_run_feeds_stdin)
{
	enum sandbox_tier t = tiers[_i];
	struct sandbox_result res;
	/* More than a pipe holds, so feeding and draining must overlap. */
	static char in[300000];

	if (!test_tier_available(t))
		return;
	memset(in, 'a', sizeof(in) - 2);
	in[sizeof(in) - 2] = '\n';
	struct sandbox_limits l = { .output_bytes = 1 << 20 };

	test_run_sh(t, "cat; echo done >&2", &l, in, &res);
	ck_assert_msg(res.status == SANDBOX_EXITED && res.exit_code == 0,
	              "[%s] %s", probe_tier_name(t), res.message);
	ck_assert_uint_eq(res.out.total, sizeof(in) - 1);
	ck_assert_str_eq(res.err.data, "done\n");
	sandbox_result_release(&res);
}
END_TEST

START_TEST(test_sandbox_run_keeps_head_and_tail_of_output)
{
	enum sandbox_tier t = tiers[_i];
	struct sandbox_limits l = { .output_bytes = 64 << 10 };
	struct sandbox_result res;

	if (!test_tier_available(t))
		return;
	test_run_sh(t, "echo first; yes middle | head -c 200000; echo last", &l,
	            NULL, &res);
	ck_assert_msg(res.status == SANDBOX_OUTPUT_LIMIT, "[%s] %s",
	              probe_tier_name(t), sandbox_status_name(res.status));
	ck_assert(strncmp(res.out.data, "first\n", 6) == 0);
	ck_assert_ptr_nonnull(strstr(res.out.data, "bytes omitted"));
	ck_assert_uint_le(res.out.len, (64 << 10) + 64);
	sandbox_result_release(&res);
}
END_TEST

/* Namespaces of the full tier: nothing of the host is visible. */
static const struct {
	const char *script;
	const char *out;
} full_views[] = {
	{ "echo $$", "2\n" }, /* PID 1 is the keeper, sh is the program */
	{ "cat /proc/sys/kernel/hostname", "ipcgrade" },
	{ "ls /sys/class/net | tr '\\n' ' '", "lo " },
	{ "cat /sys/class/net/lo/operstate", "unknown" },
	{ "ls -A /dev/shm /dev/mqueue | grep -v : | grep -c .", "0\n" },
	{ "ls -A /tmp | wc -l", "0\n" },
	{ "cat /proc/sysvipc/shm /proc/sysvipc/sem | grep -vc key", "0\n" },
	{ "touch /usr/x 2>&1 || echo ro", "ro" },
	{ "ls /dev | tr '\\n' ' '",
	  "fd full mqueue null random shm stderr stdin stdout urandom zero" },
	{ "echo /proc/[0-9]*", "/proc/1 /proc/2\n" }, /* keeper, sh: alone */
};

START_TEST(test_sandbox_full_tier_hides_the_host)
{
	struct sandbox_result res;

	if (!test_tier_available(TIER_FULL))
		return;
	test_run_sh(TIER_FULL, full_views[_i].script, NULL, NULL, &res);
	ck_assert_msg(res.status == SANDBOX_EXITED, "row %d (%s): %s", _i,
	              full_views[_i].script, res.message);
	/* A value ending in a newline is the whole output, else a part. */
	ck_assert_msg(full_views[_i].out[strlen(full_views[_i].out) - 1] == '\n'
	                  ? !strcmp(res.out.data, full_views[_i].out)
	                  : !!strstr(res.out.data, full_views[_i].out),
	              "row %d (%s): stdout '%s' lacks '%s' (stderr '%s')", _i,
	              full_views[_i].script, res.out.data, full_views[_i].out,
	              res.err.data);
	sandbox_result_release(&res);
}
END_TEST

START_TEST(test_sandbox_run_rejects_unknown_policy)
{
	const char *argv[] = { "/bin/true", NULL };
	struct sandbox_config cfg = SANDBOX_CONFIG_INIT;
	struct sandbox_result res;

	cfg.argv = argv;
	cfg.policy = "no-such-policy";
	ck_assert_int_eq(sandbox_run(&cfg, &res), -ENOENT);
	ck_assert_int_eq(res.status, SANDBOX_ERROR);
	ck_assert_ptr_nonnull(strstr(res.message, "no-such-policy"));
	sandbox_result_release(&res);
}
END_TEST

START_TEST(test_sandbox_nosock_policy_forbids_inet)
{
	const char *bash_argv[] = { "/bin/bash", "-c",
		                    "exec 3<>/dev/tcp/127.0.0.1/9; echo $?",
		                    NULL };
	struct sandbox_config cfg = SANDBOX_CONFIG_INIT;
	struct sandbox_result res;
	enum sandbox_tier t = tiers[_i];

	if (!test_tier_available(t))
		return;
	cfg.argv = bash_argv;
	cfg.tier = t;
	cfg.policy = "ipc-nosock";
	ck_assert_int_eq(sandbox_run(&cfg, &res), 0);
	ck_assert_msg(res.status == SANDBOX_VIOLATION, "[%s] %s: %s",
	              probe_tier_name(t), sandbox_status_name(res.status),
	              res.message);
	if (probe_get()->user_notify)
		ck_assert_str_eq(res.syscall, "socket");
	sandbox_result_release(&res);
}
END_TEST

/* The program is opened as root before the uid change: a binary in a
 * directory the uid cannot enter still runs, but a symlink the student put
 * in the work dir never leads the root-side open elsewhere. */
START_TEST(test_sandbox_run_opens_program_safely)
{
	enum sandbox_tier t = tiers[_i];
	struct sandbox_config cfg = SANDBOX_CONFIG_INIT;
	struct sandbox_result res;
	char *priv, *work, prog[4200], cmd[4300];
	const char *argv[] = { prog, NULL };

	if (!test_tier_available(t))
		return;
	ck_assert_int_eq(fs_make_tempdir("check-private", &priv), 0);
	ck_assert_int_eq(chmod(priv, 0700), 0);
	snprintf(prog, sizeof(prog), "%s/true", priv);
	snprintf(cmd, sizeof(cmd), "cp /bin/true %s", prog);
	ck_assert_int_eq(system(cmd), 0);
	cfg.argv = argv;
	cfg.tier = t;
	ck_assert_int_eq(sandbox_run(&cfg, &res), 0);
	ck_assert_msg(res.status == SANDBOX_EXITED && res.exit_code == 0,
	              "[%s] private dir: %s", probe_tier_name(t), res.message);
	sandbox_result_release(&res);

	ck_assert_int_eq(fs_make_tempdir("check-work", &work), 0);
	snprintf(prog, sizeof(prog), "%s/prog", work);
	ck_assert_int_eq(symlink("/bin/true", prog), 0);
	cfg.workdir = work;
	ck_assert_int_eq(sandbox_run(&cfg, &res), 0);
	ck_assert_msg(res.status == SANDBOX_EXEC_FAILED &&
	                  strstr(res.message, "symbolic links"),
	              "[%s] symlink in work dir: %s", probe_tier_name(t),
	              res.message);
	sandbox_result_release(&res);
	ck_assert_int_eq(fs_remove_tree(priv), 0);
	ck_assert_int_eq(fs_remove_tree(work), 0);
	free(priv);
	free(work);
}
END_TEST

/* What the program leaves running: counted as it exits; with linger, run
 * on until it closes the program's stdout and stderr (its output counts),
 * then killed. */
static const struct {
	const char *script;
	bool linger;
	double wall;
	enum sandbox_status status;
	const char *out;     /* stdout, exactly */
	const char *message; /* substring, or NULL */
} lingers[] = {
	{ "(sleep 0.2; echo late) & echo early", true, 10, SANDBOX_EXITED,
	  "early\nlate\n", NULL },
	{ "(sleep 30; echo late) & echo early", false, 10, SANDBOX_EXITED,
	  "early\n", NULL },
	{ "(exec >&- 2>&-; sleep 30) & echo early", true, 10, SANDBOX_EXITED,
	  "early\n", NULL },
	{ "(sleep 30; echo late) & echo early", true, 1, SANDBOX_TIMEOUT,
	  "early\n", "left running still held its stdout" },
};

START_TEST(test_sandbox_linger_judges_leftovers_output)
{
	int row = _i / 2;
	enum sandbox_tier t = tiers[_i % 2];
	const char *argv[] = { "/bin/sh", "-c", lingers[row].script, NULL };
	struct sandbox_config cfg = SANDBOX_CONFIG_INIT;
	struct sandbox_result res;

	if (!test_tier_available(t))
		return;
	cfg.argv = argv;
	cfg.tier = t;
	cfg.linger = lingers[row].linger;
	cfg.limits.cpu_seconds = 2;
	cfg.limits.wall_seconds = lingers[row].wall;
	ck_assert_int_eq(sandbox_run(&cfg, &res), 0);
	ck_assert_msg(res.status == lingers[row].status,
	              "row %d (%s) [%s]: status %s, want %s (%s)", row,
	              lingers[row].script, probe_tier_name(t),
	              sandbox_status_name(res.status),
	              sandbox_status_name(lingers[row].status), res.message);
	ck_assert_msg(res.out.data && !strcmp(res.out.data, lingers[row].out),
	              "row %d [%s]: stdout '%s', want '%s'", row,
	              probe_tier_name(t), res.out.data ? res.out.data : "",
	              lingers[row].out);
	/* The subshell, and its sleep if it has started it yet. */
	ck_assert_msg(res.leftover_processes >= 1,
	              "row %d [%s]: %u leftovers, want some", row,
	              probe_tier_name(t), res.leftover_processes);
	/* Never the 30 s the leftover would have taken. */
	ck_assert_msg(res.wall_seconds < 5, "row %d [%s]: took %.1f s", row,
	              probe_tier_name(t), res.wall_seconds);
	if (lingers[row].message)
		ck_assert_msg(strstr(res.message, lingers[row].message),
		              "row %d [%s]: message '%s'", row,
		              probe_tier_name(t), res.message);
	sandbox_result_release(&res);
}
END_TEST

/* The tick knows the program by its host pid, from its first call. */
static int note_main(void *arg, const struct sandbox_tick *tk)
{
	char *comm = arg, path[64];
	FILE *f;

	if (comm[0] || !tk->main)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)tk->main);
	if ((f = fopen(path, "r"))) {
		if (!fgets(comm, 32, f))
			comm[0] = '\0';
		fclose(f);
	}
	return 0;
}

START_TEST(test_sandbox_tick_names_the_program)
{
	enum sandbox_tier t = tiers[_i];
	const char *argv[] = { "/bin/sh", "-c", "sleep 0.3; true", NULL };
	struct sandbox_config cfg = SANDBOX_CONFIG_INIT;
	struct sandbox_result res;
	char comm[32] = "";

	if (!test_tier_available(t))
		return;
	cfg.argv = argv;
	cfg.tier = t;
	cfg.tick = note_main;
	cfg.tick_arg = comm;
	ck_assert_int_eq(sandbox_run(&cfg, &res), 0);
	ck_assert_msg(!strcmp(comm, "sh\n") || !strcmp(comm, "dash\n") ||
	                  !strcmp(comm, "bash\n"),
	              "[%s] the tick's main is '%s'", probe_tier_name(t), comm);
	sandbox_result_release(&res);
}
END_TEST

/* Host facts shared between processes: read back as written, and never
 * taken from a file another user could have written, or an old one. */
START_TEST(test_hostcache_keeps_only_its_own_fresh_facts)
{
	char buf[64], path[256];
	struct timespec old[2] = { { time(NULL) - HOSTCACHE_SECONDS - 60, 0 },
		                   { time(NULL) - HOSTCACHE_SECONDS - 60, 0 } };

	ck_assert_ptr_nonnull(slot_state_dir());
	snprintf(path, sizeof(path), "%s/check-test.cache", slot_state_dir());
	ck_assert_int_eq(hostcache_put("check-test", "yes\nno"), 0);
	ck_assert_int_eq(hostcache_get("check-test", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "yes\nno");
	/* Too small a buffer is a miss, not a cut fact. */
	ck_assert_int_eq(hostcache_get("check-test", buf, 4), -ENOENT);
	/* Writable by others: not trusted. */
	ck_assert_int_eq(chmod(path, 0666), 0);
	ck_assert_int_eq(hostcache_get("check-test", buf, sizeof(buf)),
	                 -ENOENT);
	ck_assert_int_eq(chmod(path, 0600), 0);
	/* Stale. */
	ck_assert_int_eq(utimensat(AT_FDCWD, path, old, 0), 0);
	ck_assert_int_eq(hostcache_get("check-test", buf, sizeof(buf)),
	                 -ENOENT);
	unlink(path);
	ck_assert_int_eq(hostcache_get("check-test", buf, sizeof(buf)),
	                 -ENOENT);
}
END_TEST

Suite *sandbox_suite(void)
{
	Suite *s = suite_create("sandbox");
	TCase *tc = tcase_create("run");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_sandbox_run_reports_ending, 0,
	                    2 * ARRAY_SIZE(endings));
	tcase_add_loop_test(tc, test_sandbox_run_feeds_stdin, 0, 2);
	tcase_add_loop_test(tc, test_sandbox_run_keeps_head_and_tail_of_output,
	                    0, 2);
	tcase_add_loop_test(tc, test_sandbox_full_tier_hides_the_host, 0,
	                    ARRAY_SIZE(full_views));
	tcase_add_test(tc, test_sandbox_run_rejects_unknown_policy);
	tcase_add_loop_test(tc, test_sandbox_nosock_policy_forbids_inet, 0, 2);
	tcase_add_loop_test(tc, test_sandbox_run_opens_program_safely, 0, 2);
	tcase_add_loop_test(tc, test_sandbox_linger_judges_leftovers_output, 0,
	                    2 * ARRAY_SIZE(lingers));
	tcase_add_loop_test(tc, test_sandbox_tick_names_the_program, 0, 2);
	tcase_add_test(tc, test_hostcache_keeps_only_its_own_fresh_facts);
	suite_add_tcase(s, tc);
	return s;
}
