/*
 * check_hostile_runs.c - hostile attacks that need more than one run: a
 * fixed IPC key read by the next or a concurrent run, leftovers seen by the
 * next run, and a supervisor killed mid-run. Part of the hostile suite.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hostile_fixture.h"
#include "postcond.h"
#include "slot.h"
#include "testutil.h"

/* Run name (arg) in tier and expect exit 0; failures go to v under
 * `what`. Leaves the result in *res (release it). */
static void run_expect_ok(struct fixture *f, const char *arg, const char *what,
                          struct sandbox_result *res, struct verdict *v)
{
	char how[1024];
	int err = hostile_run(f, arg, NULL, -1, res);

	if (err)
		verdict_add(v, "%s: sandbox_run failed: %s (%s)", what,
		            strerror(-err), res->message);
	else if (res->status != SANDBOX_EXITED || res->exit_code != 0)
		verdict_add(v, "%s: %s", what, describe(res, how, sizeof(how)));
}

/* Wait up to ms for path to exist, or for child to end. */
static bool wait_for_file(const char *path, pid_t child, int ms)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };

	for (int waited = 0; waited < ms; waited += 10) {
		if (access(path, F_OK) == 0)
			return true;
		if (waitpid(child, NULL, WNOHANG) == child)
			return false;
		nanosleep(&tick, NULL);
	}
	return false;
}

/* Row 19: a fixed SysV key and POSIX names must not carry data from one
 * run to the next, nor between two runs at the same time. */
START_TEST(test_hostile_ipc_key_not_shared)
{
	enum sandbox_tier tier = hostile_tiers[_i];
	struct sandbox_result res;
	struct fixture a, b;
	struct verdict v = { "" };
	const struct sandbox_limits hold_long = { .wall_seconds = 20 };
	char path[PATH_MAX], flag[PATH_MAX + 16], how[1024];
	int status, report_uid[2];
	uid_t uid_a = 0;
	pid_t pid;

	if (!test_tier_available(tier))
		return;
	hostile_path("19-cross-ipc-key", false, path, sizeof(path));
	ck_assert_msg(fixture_init(&a, tier, path) == 0 &&
	                  fixture_init(&b, tier, path) == 0,
	              "19-cross-ipc-key [%s]: no work dir",
	              probe_tier_name(tier));

	/* One run after the other (the same uid slot). */
	run_expect_ok(&a, "create", "first run (create)", &res, &v);
	sandbox_result_release(&res);
	run_expect_ok(&b, "probe", "second run (probe)", &res, &v);
	check_aftermath(tier, res.uid, &v);
	sandbox_result_release(&res);

	/* At the same time: the first holds its objects (in another slot)
	 * until the second has looked; it reports its uid on a pipe. */
	if (pipe(report_uid) < 0)
		report_uid[0] = report_uid[1] = -1;
	pid = fork();
	if (pid == 0) {
		int err = hostile_run(&a, "hold", &hold_long, -1, &res);
		if (write(report_uid[1], &res.uid, sizeof(res.uid)) < 0)
			_exit(2);
		_exit(err == 0 && res.status == SANDBOX_EXITED &&
		              res.exit_code == 0
		          ? 0
		          : 1);
	}
	close(report_uid[1]);
	snprintf(flag, sizeof(flag), "%s/ready", a.workdir);
	if (pid < 0 || !wait_for_file(flag, pid, 5000)) {
		verdict_add(&v, "the holding run never became ready");
	} else {
		int err = hostile_run(&b, "probe", NULL, -1, &res);

		describe(&res, how, sizeof(how));
		if (tier == TIER_BASIC) {
			printf("note: 19-cross-ipc-key [basic]: concurrent "
			       "runs share SysV keys and /dev/shm (known gap): "
			       "%s\n",
			       how);
			fflush(stdout);
		} else if (err || res.status != SANDBOX_EXITED ||
		           res.exit_code != 0)
			verdict_add(&v, "concurrent probe: %s", how);
		check_aftermath(tier, res.uid, &v);
		sandbox_result_release(&res);
	}
	snprintf(flag, sizeof(flag), "%s/stop", a.workdir);
	close(open(flag, O_CREAT | O_WRONLY | O_CLOEXEC, 0644));
	if (pid > 0 && (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	                WEXITSTATUS(status) != 0))
		verdict_add(&v, "the holding run did not end with exit 0");
	if (read(report_uid[0], &uid_a, sizeof(uid_a)) == sizeof(uid_a))
		check_aftermath(tier, uid_a, &v);
	close(report_uid[0]);
	fixture_release(&a);
	fixture_release(&b);
	ck_assert_msg(!v.msg[0], "19-cross-ipc-key [%s]: %s",
	              probe_tier_name(tier), v.msg);
}
END_TEST

/* Row 53: the same uid runs twice; the second run must find nothing of
 * what the first left in /tmp, /dev/shm, POSIX mqueues and SysV. */
START_TEST(test_hostile_leftovers_not_seen_by_next_run)
{
	enum sandbox_tier tier = hostile_tiers[_i];
	struct sandbox_result res;
	struct verdict v = { "" };
	struct fixture f;
	char path[PATH_MAX];
	int id;

	if (!test_tier_available(tier))
		return;
	hostile_path("53-leftovers", false, path, sizeof(path));
	ck_assert_msg(fixture_init(&f, tier, path) == 0,
	              "53-leftovers [%s]: no work dir", probe_tier_name(tier));
	run_expect_ok(&f, NULL, "first run", &res, &v);
	sandbox_result_release(&res);
	run_expect_ok(&f, NULL, "second run", &res, &v);
	check_aftermath(tier, res.uid, &v);
	sandbox_result_release(&res);
	fixture_release(&f);
	/* Whatever happened, do not leave it to the next test. */
	unlink("/tmp/hostile-leftover.txt");
	unlink("/tmp/hostile-leftover.fifo");
	unlink("/run/lock/hostile-leftover");
	unlink("/var/tmp/hostile-leftover");
	shm_unlink("/hostile-leftover");
	sem_unlink("/hostile-leftover");
	mq_unlink("/hostile-leftover");
	if ((id = msgget(0x484f5354, 0)) >= 0)
		msgctl(id, IPC_RMID, NULL);
	ck_assert_msg(!v.msg[0], "53-leftovers [%s]: %s", probe_tier_name(tier),
	              v.msg);
}
END_TEST

/* Row 54: the supervisor dies mid-run (SIGKILL). The full tier's tree
 * dies with its PID 1 at once; in the basic tier whatever escaped the
 * parent-death signal must be gone once the slot is used again. */
START_TEST(test_hostile_supervisor_death_ends_sandbox)
{
	enum sandbox_tier tier = hostile_tiers[_i];
	const struct sandbox_limits wait_long = { .wall_seconds = 30 };
	const int slot = 9;
	const uid_t uid = SLOT_UID_BASE + slot;
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	struct sandbox_result res;
	struct verdict v = { "" };
	struct fixture f;
	char path[PATH_MAX], why[512];
	unsigned left;
	pid_t pid;
	int i;

	if (!test_tier_available(tier))
		return;
	hostile_path("11-stdin-never-closes", false, path, sizeof(path));
	ck_assert_msg(fixture_init(&f, tier, path) == 0,
	              "supervisor killed [%s]: no work dir",
	              probe_tier_name(tier));
	pid = fork();
	if (pid == 0)
		_exit(hostile_run(&f, NULL, &wait_long, slot, &res) ? 1 : 0);
	/* The program and its child both run: kill the supervisor. */
	for (i = 0; i < 500 && postcond_processes(uid, 0, false, why, 0) < 2;
	     i++)
		nanosleep(&tick, NULL);
	if (i == 500)
		verdict_add(&v, "the program never started");
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	why[0] = '\0';
	left = postcond_processes(uid, 1000, false, why, sizeof(why));
	if (tier == TIER_FULL && left) {
		verdict_add(&v, "%u processes outlived the supervisor: %s",
		            left, why);
	} else if (left) {
		printf("note: supervisor killed [basic]: %u processes "
		       "outlived it until the slot is reused\n",
		       left);
		fflush(stdout);
	}
	/* Reusing the slot must clean up whatever a dead run left. */
	if (run_true(tier, slot, &res) || res.status != SANDBOX_EXITED)
		verdict_add(&v, "the next run in slot %d failed: %s", slot,
		            res.message);
	sandbox_result_release(&res);
	/* The dead supervisor's cgroup leaves are gone too. */
	if (postcond_cgroups_of(pid, why, sizeof(why)))
		verdict_add(&v, "cgroups of the killed run are left: %s", why);
	/* Zombies are not counted: orphans of a dead supervisor belong to
	 * the host's init, which reaps them when it likes. */
	why[0] = '\0';
	if ((left = postcond_processes(uid, 1000, false, why, sizeof(why))))
		verdict_add(&v,
		            "%u processes left after the slot was reused: %s",
		            left, why);
	fixture_release(&f);
	ck_assert_msg(!v.msg[0], "supervisor killed [%s]: %s",
	              probe_tier_name(tier), v.msg);
}
END_TEST

TCase *hostile_two_runs_tcase(void)
{
	TCase *twice = tcase_create("two_runs");

	tcase_set_timeout(twice, 60);
	tcase_add_loop_test(twice, test_hostile_ipc_key_not_shared, 0,
	                    ARRAY_SIZE(hostile_tiers));
	tcase_add_loop_test(twice, test_hostile_leftovers_not_seen_by_next_run,
	                    0, ARRAY_SIZE(hostile_tiers));
	tcase_add_loop_test(twice, test_hostile_supervisor_death_ends_sandbox,
	                    0, ARRAY_SIZE(hostile_tiers));
	return twice;
}
