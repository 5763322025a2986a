/*
 * check_echo.c - the echo driver beyond its examples: a stand-in server
 * from a Debian package (socat) gets full marks, gradings running at once
 * use the same port in their own namespaces without interfering, and the
 * sandbox's per-namespace sysctls and port ranges stay where they belong.
 */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "assignment.h"
#include "fsutil.h"
#include "grade.h"
#include "suites.h"
#include "testutil.h"

static const enum sandbox_tier tiers[] = { TIER_FULL, TIER_BASIC };

/* Every test of the echo assignment that drives the student's server. */
static const char *const server_tests[] = {
	"ready",        "lines",         "bulk-1mib",
	"binary",       "second-client", "many-clients",
	"slow-client",  "reset",         "half-close",
	"flow-control", "no-leaks",      "sigterm",
	NULL,
};

static void load_echo(struct assignment *a)
{
	struct jcheck jc = { 0 };

	ck_assert_msg(assignment_load("assignments/echo", a, &jc) == 0, "%s",
	              jc.msg);
}

static void put_file(const char *dir, const char *name, const char *text,
                     size_t len)
{
	char path[600];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ck_assert_int_eq(fs_write_new(path, text, len, 0644), 0);
}

/* socat's TCP-LISTEN:PORT,fork EXEC:cat is an echo server nobody wrote
 * for this course: the server tests must pass it as they stand. socat
 * itself ends on SIGTERM with status 143 (128 + 15) where the contract
 * says 0, so the stand-in runs it under a shell that translates, and the
 * bare command must fail exactly that test. */
static const struct {
	const char *server; /* the script's body; $1 is the port */
	enum sandbox_tier tier;
	bool all; /* every server test, else only sigterm */
	const char *sigterm, *says;
} socats[] = {
	{ "socat TCP-LISTEN:$1,fork,reuseaddr EXEC:cat & pid=$!\n"
	  "trap 'kill $pid; wait $pid; exit 0' TERM\n"
	  "wait $pid\n",
	  TIER_FULL, true, "passed", NULL },
	{ "socat TCP-LISTEN:$1,fork,reuseaddr EXEC:cat & pid=$!\n"
	  "trap 'kill $pid; wait $pid; exit 0' TERM\n"
	  "wait $pid\n",
	  TIER_BASIC, true, "passed", NULL },
	{ "exec socat TCP-LISTEN:$1,fork,reuseaddr EXEC:cat\n", TIER_FULL,
	  false, "failed", "exited with status 143" },
};

START_TEST(test_socat_echo_gets_full_marks_on_server_tests)
{
	static const char *const sigterm_only[] = { "sigterm", NULL };
	enum sandbox_tier t = socats[_i].tier;
	struct grade_options o = {
		.tier = t,
		.only = socats[_i].all ? server_tests : sigterm_only,
	};
	struct assignment a;
	struct result r;
	static const char makefile[] = "all: server client\n"
	                               "server: server.sh\n"
	                               "\tcp server.sh server\n"
	                               "\tchmod +x server\n"
	                               "client: client.c\n"
	                               "\t$(CC) -O2 -o client client.c\n";
	char *dir = NULL, *client = NULL, *script = NULL;
	size_t len = 0;

	if (!test_tier_available(t))
		return;
	ck_assert_msg(access("/usr/bin/socat", X_OK) == 0,
	              "socat is not installed (.ci/install-deps)");
	load_echo(&a);
	ck_assert_int_eq(fs_make_tempdir("check-socat", &dir), 0);
	ck_assert_int_eq(fs_read_beneath("reference/echo", "client.c", 1 << 20,
	                                 &client, &len),
	                 0);
	ck_assert_int_ge(asprintf(&script, "#!/bin/sh\n%s", socats[_i].server),
	                 0);
	put_file(dir, "Makefile", makefile, strlen(makefile));
	put_file(dir, "server.sh", script, strlen(script));
	put_file(dir, "server.c", "/* the server is socat */\n", 26);
	put_file(dir, "client.c", client, len);
	ck_assert_int_eq(grade_run(&a, dir, &o, &r), 0);
	ck_assert_msg(r.status == RESULT_GRADED, "socat row %d [%s]: %s", _i,
	              probe_tier_name(t), r.build_log ? r.build_log : "");
	ck_assert_int_eq(r.ntests,
	                 socats[_i].all ? ARRAY_SIZE(server_tests) - 1 : 1);
	for (size_t i = 0; i < r.ntests; i++) {
		const char *want = strcmp(r.tests[i].id, "sigterm")
		                       ? "passed"
		                       : socats[_i].sigterm;
		const char *m = r.tests[i].message ? r.tests[i].message : "";
		ck_assert_msg(
		    !strcmp(test_status_name(r.tests[i].status), want) &&
		        (!socats[_i].says || strstr(m, socats[_i].says)),
		    "socat row %d [%s]: %s is %s (%s), expected %s", _i,
		    probe_tier_name(t), r.tests[i].id,
		    test_status_name(r.tests[i].status), m, want);
	}
	result_release(&r);
	assignment_release(&a);
	fs_remove_tree(dir);
	free(dir);
	free(client);
	free(script);
}
END_TEST

/* What each of the gradings run at once must get. */
static const struct {
	const char *example;
	const char *test;
	const char *status;
	const char *says; /* in the message, or NULL */
} together[] = {
	{ "iterative", "second-client", "failed", "one client at a time" },
	{ "iterative", "slow-client", "failed", "waited for the slow one" },
	{ "correct-fork", "second-client", "passed", NULL },
	{ "correct-fork", "slow-client", "passed", NULL },
	{ "correct-fork", "many-clients", "passed", NULL },
	/* the port every full-tier run listens on, in its own namespace */
	{ "no-htons", "ready", "failed", "not on port 20000" },
};

/* One grading in a child process; its verdicts come back on fd out as
 * "TEST STATUS MESSAGE" lines. */
static pid_t grade_in_child(const char *example, int out)
{
	const char *only[ARRAY_SIZE(together) + 1];
	size_t n = 0;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid > 0)
		return pid;
	for (size_t i = 0; i < ARRAY_SIZE(together); i++)
		if (!strcmp(together[i].example, example))
			only[n++] = together[i].test;
	only[n] = NULL;
	{
		struct grade_options o = { .tier = TIER_FULL, .only = only };
		struct assignment a;
		struct result r;
		char dir[256];
		FILE *f = fdopen(out, "w");
		load_echo(&a);
		snprintf(dir, sizeof(dir), "assignments/echo/examples/%s",
		         example);
		if (!f || grade_run(&a, dir, &o, &r))
			_exit(1);
		for (size_t i = 0; i < r.ntests; i++)
			fprintf(f, "%s %s %s %s\n", example, r.tests[i].id,
			        test_status_name(r.tests[i].status),
			        r.tests[i].message ? r.tests[i].message : "");
		fclose(f);
		_exit(0);
	}
}

/* Three gradings at once, each server on port 20000 of its own network
 * namespace: were they sharing one, the second bind() would fail. */
START_TEST(test_gradings_at_once_do_not_interfere)
{
	static const char *const ex[] = { "iterative", "correct-fork",
		                          "no-htons" };
	char files[3][64], *text[3] = { NULL };
	size_t len[3];
	pid_t pid[3];

	if (!test_tier_available(TIER_FULL))
		return;
	for (int k = 0; k < 3; k++) {
		int fd;
		snprintf(files[k], sizeof(files[k]), "/tmp/check-echo-%d-%d",
		         getpid(), k);
		fd = open(files[k], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		          0600);
		ck_assert_int_ge(fd, 0);
		pid[k] = grade_in_child(ex[k], fd);
		close(fd);
	}
	for (int k = 0; k < 3; k++) {
		int st;
		ck_assert_int_eq(waitpid(pid[k], &st, 0), pid[k]);
		ck_assert_msg(WIFEXITED(st) && !WEXITSTATUS(st),
		              "grading %d failed", k);
		ck_assert_int_eq(fs_read_beneath("/tmp", files[k] + 5, 1 << 20,
		                                 &text[k], &len[k]),
		                 0);
		unlink(files[k]);
	}
	for (size_t i = 0; i < ARRAY_SIZE(together); i++) {
		char want[128];
		const char *line = NULL;
		snprintf(want, sizeof(want), "%s %s %s", together[i].example,
		         together[i].test, together[i].status);
		for (int k = 0; k < 3 && !line; k++)
			line = strstr(text[k], want);
		ck_assert_msg(line, "row %zu: no '%s' in:\n%s%s%s", i, want,
		              text[0], text[1], text[2]);
		if (together[i].says)
			ck_assert_msg(strstr(line, together[i].says) &&
			                  strstr(line, together[i].says) <
			                      strchrnul(line, '\n'),
			              "row %zu: '%.300s' lacks '%s'", i, line,
			              together[i].says);
	}
	for (int k = 0; k < 3; k++)
		free(text[k]);
}
END_TEST

/* A run's network sysctls change its own namespace, never the host's;
 * the basic tier (the host's network) ignores them. Every run learns its
 * port range from IPCGRADE_PORTS. */
START_TEST(test_net_sysctls_stay_in_the_namespace)
{
	static const char *const set[] = {
		"net/ipv4/tcp_rmem=4096 16384 65536",
		NULL,
	};
	static const char *const argv[] = {
		"/bin/sh", "-c",
		"cat /proc/sys/net/ipv4/tcp_rmem; echo \"$IPCGRADE_PORTS\"",
		NULL
	};
	enum sandbox_tier t = tiers[_i];
	struct sandbox_config cfg = SANDBOX_CONFIG_INIT;
	struct sandbox_result res;
	char *host = NULL, *host_after = NULL, want[64];
	size_t hl = 0, hl2 = 0;
	int first = 0, last = 0;

	if (!test_tier_available(t))
		return;
	ck_assert_int_eq(
	    fs_read_beneath("/proc/sys/net/ipv4", "tcp_rmem", 256, &host, &hl),
	    0);
	cfg.argv = argv;
	cfg.tier = t;
	cfg.net_sysctls = set;
	ck_assert_int_eq(sandbox_run(&cfg, &res), 0);
	ck_assert_msg(res.status == SANDBOX_EXITED && res.exit_code == 0, "%s",
	              res.message);
	ck_assert_int_eq(fs_read_beneath("/proc/sys/net/ipv4", "tcp_rmem", 256,
	                                 &host_after, &hl2),
	                 0);
	ck_assert_str_eq(host, host_after);
	snprintf(want, sizeof(want), "%s",
	         t == TIER_FULL ? "4096\t16384\t65536" : host);
	want[strcspn(want, "\n")] = '\0';
	ck_assert_msg(res.out.data && strstr(res.out.data, want),
	              "[%s] inside: '%s', expected '%s'", probe_tier_name(t),
	              res.out.data ? res.out.data : "", want);
	ck_assert_msg(
	    sscanf(strchr(res.out.data, '\n') + 1, "%d-%d", &first, &last) == 2,
	    "no IPCGRADE_PORTS in '%s'", res.out.data);
	ck_assert_int_eq(last - first, 39);
	ck_assert_int_lt(last, 32768); /* below the ephemeral ports */
	if (t == TIER_FULL)
		ck_assert_int_eq(first, 20000);
	sandbox_result_release(&res);
	free(host);
	free(host_after);
}
END_TEST

/* Anything but net/ would reach the host: the run is refused. */
START_TEST(test_net_sysctls_refuse_other_names)
{
	static const char *const set[] = { "kernel/hostname=evil", NULL };
	static const char *const argv[] = { "/bin/true", NULL };
	struct sandbox_config cfg = SANDBOX_CONFIG_INIT;
	struct sandbox_result res;
	int err;

	if (!test_tier_available(TIER_FULL))
		return;
	cfg.argv = argv;
	cfg.tier = TIER_FULL;
	cfg.net_sysctls = set;
	err = sandbox_run(&cfg, &res);
	ck_assert_msg(err < 0 || res.status == SANDBOX_ERROR,
	              "a kernel/ sysctl was accepted: %s", res.message);
	ck_assert_msg(strstr(res.message, "network sysctls"), "%s",
	              res.message);
	sandbox_result_release(&res);
}
END_TEST

Suite *echo_suite(void)
{
	Suite *s = suite_create("echo");
	TCase *tc = tcase_create("echo");

	tcase_set_timeout(tc, 240);
	tcase_add_loop_test(tc, test_net_sysctls_stay_in_the_namespace, 0, 2);
	tcase_add_test(tc, test_net_sysctls_refuse_other_names);
	tcase_add_loop_test(tc, test_socat_echo_gets_full_marks_on_server_tests,
	                    0, ARRAY_SIZE(socats));
	tcase_add_test(tc, test_gradings_at_once_do_not_interfere);
	suite_add_tcase(s, tc);
	return s;
}
