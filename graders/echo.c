/*
 * echo.c - the `echo` driver: a TCP echo server (or client) exercised by
 * the netprobe program inside the run's own network namespace (basic tier:
 * the slot's port range). Registered in drivers.c; a test names a check
 * and its sizes in assignment.json (README: the echo row).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conduct.h"
#include "driver.h"
#include "run.h"

/*
 * The plan netprobe reads on stdin, a line each (after conduct_run()'s
 * "exe server|client PATH" and "hide PATH" lines):
 *   check NAME                   ready stdio bulk binary second many slow
 *                                reset halfclose flow fdleak sigterm refused
 *   who server|client student|reference     for the messages
 *   set bytes|clients|conns|stall_ms N
 * Its report on stdout: "status S", "message TEXT", "end". The ports come
 * from IPCGRADE_PORTS, which the sandbox sets for every run.
 */
static const char *const echo_keys[] = {
	"check",   "server", "client",   "bytes",         "basic_bytes",
	"clients", "conns",  "stall_ms", "small_buffers", NULL,
};

static const char *const checks[] = {
	"ready", "stdio",  "bulk",    "binary",    "second",
	"many",  "slow",   "reset",   "halfclose", "flow",
	"stall", "fdleak", "sigterm", "refused",   NULL,
};

/* Socket buffers small enough that 1 MiB cannot hide in them: a client
 * that writes everything before reading deadlocks (set per namespace). */
static const char *const small_buffers[] = {
	"net/ipv4/tcp_rmem=4096 16384 65536",
	"net/ipv4/tcp_wmem=4096 16384 65536",
	NULL,
};

static int check_who(struct jcheck *c, json_t *t, const char *path,
                     const char *key)
{
	const char *s = NULL;
	char p[300];
	int err = jcheck_string(c, t, path, key, false, &s);

	if (err || !s)
		return err;
	jcheck_join(p, sizeof(p), path, key);
	if (strcmp(s, "student") && strcmp(s, "reference"))
		return jcheck_fail(c, p,
		                   "must be \"student\" or \"reference\"");
	return 0;
}

static int echo_check(struct jcheck *c, json_t *t, const char *path)
{
	const char *check = NULL;
	double n;
	bool b;
	char p[300];
	int err;
	size_t i;

	if ((err = jcheck_string(c, t, path, "check", true, &check)) ||
	    (err = check_who(c, t, path, "server")) ||
	    (err = check_who(c, t, path, "client")) ||
	    (err = jcheck_number(c, t, path, "bytes", 1, 64 << 20, &n)) ||
	    (err = jcheck_number(c, t, path, "basic_bytes", 1, 64 << 20, &n)) ||
	    (err = jcheck_number(c, t, path, "clients", 1, 64, &n)) ||
	    (err = jcheck_number(c, t, path, "conns", 1, 2000, &n)) ||
	    (err = jcheck_number(c, t, path, "stall_ms", 100, 10000, &n)) ||
	    (err = jcheck_bool(c, t, path, "small_buffers", &b)))
		return err;
	for (i = 0; checks[i] && strcmp(checks[i], check); i++)
		;
	jcheck_join(p, sizeof(p), path, "check");
	if (!checks[i])
		return jcheck_fail(
		    c, p,
		    "no check '%s' (ready, stdio, bulk, binary, "
		    "second, many, slow, reset, halfclose, flow, "
		    "fdleak, sigterm, refused)",
		    check);
	return 0;
}

static const char *str(json_t *t, const char *key, const char *def)
{
	const char *s = json_string_value(json_object_get(t, key));

	return s ? s : def;
}

/* The plan: the programs, the check and its settings. */
static void build_plan(const struct grade_ctx *g, json_t *t,
                       const struct sandbox_limits *limits, uint64_t seed,
                       struct conduct_plan *plan)
{
	static const char *const nums[] = { "bytes", "clients", "conns",
		                            "stall_ms", NULL };
	const char *check = str(t, "check", "ready");
	const char *sw = str(t, "server", "student");
	const char *cw = str(t, "client", "student");
	bool client = !strcmp(check, "stdio") || !strcmp(check, "refused");
	char path[4200];

	snprintf(path, sizeof(path), "%s/server",
	         !strcmp(sw, "student") ? g->student_dir : g->reference_dir);
	if (strcmp(check, "refused"))
		plan_program(plan, "server", path,
		             !strcmp(sw, "student") ? PLAN_STUDENT
		                                    : PLAN_REFERENCE);
	if (client) {
		snprintf(path, sizeof(path), "%s/client",
		         !strcmp(cw, "student") ? g->student_dir
		                                : g->reference_dir);
		plan_program(plan, "client", path,
		             !strcmp(cw, "student") ? PLAN_STUDENT
		                                    : PLAN_REFERENCE);
	}
	plan_line(plan, "check %s", check);
	/* The run's CPU and wall limits: near either, a check stops and
	 * says what it could judge, rather than be killed without a word. */
	{
		double cpu = limits->cpu_seconds > 0
		                 ? limits->cpu_seconds
		                 : sandbox_default_limits.cpu_seconds;
		double wall = limits->wall_seconds > 0 ? limits->wall_seconds
		                                       : 2 * cpu + 1;
		plan_line(plan, "set cpu_limit_ms %lld",
		          (long long)(cpu * 1000));
		plan_line(plan, "set wall_limit_ms %lld",
		          (long long)(wall * 1000));
	}
	/* The data is drawn from the grading's seed: no test's traffic looks
	 * like another's, nor like the last grading's. */
	plan_line(plan, "seed %llu", (unsigned long long)seed);
	plan_line(plan, "who server %s", sw);
	plan_line(plan, "who client %s", cw);
	for (const char *const *k = nums; *k; k++) {
		json_t *v = json_object_get(t, *k);
		if (!strcmp(*k, "bytes") && g->tier != TIER_FULL &&
		    json_object_get(t, "basic_bytes"))
			v = json_object_get(t, "basic_bytes");
		if (json_is_number(v))
			plan_line(plan, "set %s %lld", *k,
			          (long long)json_number_value(v));
	}
}

/* The probe's report into the outcome; false when it is incomplete. */
static bool read_report(const struct sandbox_result *res,
                        struct test_outcome *out)
{
	static const char *const names[] = { "passed", "failed", "timeout",
		                             "crashed", NULL };
	char *text = strndup(res->out.data ? res->out.data : "", res->out.len);
	char *save = NULL, *line;
	bool end = false, status = false;

	if (!text)
		return false;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "status ", 7)) {
			for (int i = 0; names[i]; i++)
				if (!strcmp(line + 7, names[i])) {
					out->status = (enum test_status)i;
					status = true;
				}
		} else if (!strncmp(line, "message ", 8)) {
			test_outcome_message(out, "%s", line + 8);
		} else if (!strncmp(line, "chatter ", 8)) {
			char *head = strchr(line + 8, ' ');
			char *plain = head ? report_unescape(head + 1) : NULL;
			if (plain)
				test_outcome_output(
				    out,
				    "%s%swhat the programs printed (not "
				    "graded, %llu bytes in all; the first "
				    "%zu):\n%s",
				    out->output ? out->output : "",
				    out->output ? "\n" : "",
				    strtoull(line + 8, NULL, 10), strlen(plain),
				    plain);
			free(plain);
		} else if (!strncmp(line, "guarded ", 8)) {
			/* The test went on; its verdict is its own. */
			test_outcome_output(
			    out,
			    "%s%sthe grader stopped %s process%s the server "
			    "started that spun (flat out, writing nothing), "
			    "so that this test could go on:",
			    out->output ? out->output : "",
			    out->output ? "\n" : "", line + 8,
			    strcmp(line + 8, "1") ? "es" : "");
		} else if (!strncmp(line, "stopped ", 8)) {
			char *plain = report_unescape(line + 8);
			if (plain)
				test_outcome_output(
				    out, "%s\n  %s",
				    out->output ? out->output : "", plain);
			free(plain);
		} else if (!strcmp(line, "end")) {
			end = true;
		}
	}
	free(text);
	return end && status;
}

static int echo_run(const struct grade_ctx *g, const struct test_spec *t,
                    struct test_outcome *out)
{
	struct conduct_plan plan;
	struct conduct_opts o = { 0 };
	struct conduct_report rep;
	struct sandbox_result res;
	int err;

	plan_init(&plan);
	build_plan(g, t->params, &t->limits, test_seed(g, t->id), &plan);
	o.probe = "netprobe";
	if (json_is_true(json_object_get(t->params, "small_buffers")))
		o.net_sysctls = small_buffers;
	err = conduct_run(g, t, &plan, &o, &rep, &res);
	plan_release(&plan);
	if (err)
		return err;
	out->status = TEST_PASSED;
	if (res.status == SANDBOX_VIOLATION) {
		out->status = TEST_VIOLATION;
		test_outcome_message(out, "%s", res.message);
	} else if (read_report(&res, out)) {
		/* the probe's verdict */
	} else if (res.status == SANDBOX_EXITED && res.exit_code == 100) {
		/* The probe could not do its job: the harness failed. */
		out->status = TEST_ERROR;
		test_outcome_message(out, "the network probe failed: %.300s",
		                     res.err.data ? res.err.data : "");
	} else if (res.status == SANDBOX_TIMEOUT) {
		out->status = TEST_TIMEOUT;
		test_outcome_message(
		    out, "the check did not finish in time (%s)", res.message);
	} else {
		out->status = TEST_FAILED;
		test_outcome_message(out,
		                     "the grader's client ended before it gave "
		                     "a verdict (%s)",
		                     res.message);
	}
	/* The programs' own output is chatter (in the report); this is the
	 * grader's client's. */
	if (out->status != TEST_PASSED && res.err.len && !out->output)
		test_outcome_output(out,
		                    "what the grader's client wrote on "
		                    "stderr:\n%.2000s",
		                    res.err.data);
	conduct_release(&rep);
	sandbox_result_release(&res);
	return 0;
}

const struct driver echo_driver = {
	.kind = "echo",
	.keys = echo_keys,
	.check = echo_check,
	.run = echo_run,
};
