/*
 * trace.c - the `trace` driver: plays a trace script (graders/script.h)
 * against the student's program through the in-sandbox runner
 * (graders/probes/trace.c), with graders/preload/sigprobe.so loaded into
 * the program when a step needs it. Test keys: "script" [steps], "args".
 *
 * The runner's plan: "prog PATH ARG...", "preload PATH", then "step K
 * VERB ARG..." (words %XX-escaped). Its report: "fail K WORD", "steps N",
 * "exit N" | "signal N", "violation NR ARCH" (a forbidden call its
 * listener caught), "confined yes|no", "probe loaded|absent",
 * "transcript LEN DROPPED\n<bytes>", "end".
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conduct.h"
#include "driver.h"
#include "run.h"
#include "script.h"

static const char *const trace_keys[] = { "script", "args", NULL };

static int trace_check(struct jcheck *c, json_t *t, const char *path)
{
	char p[64];
	json_t *args;
	int err;

	if ((err = jcheck_strings(c, t, path, "args", false, &args)))
		return err;
	jcheck_join(p, sizeof(p), path, "script");
	if (!json_object_get(t, "script"))
		return jcheck_fail(c, path, "a trace test needs \"script\"");
	return script_check(c, json_object_get(t, "script"), p);
}

struct report {
	bool complete;
	int failed; /* step index, or -1 */
	char *why;
	size_t steps;
	bool exited, signaled, probe, confined;
	int code;
	long violation_nr; /* -1: none */
	unsigned long violation_arch;
	char *transcript;
	size_t transcript_len, dropped;
};

static void parse(struct report *r, const char *text, size_t len)
{
	const char *at = text, *end = text + len;

	r->failed = -1;
	r->violation_nr = -1;
	while (at < end) {
		const char *nl = memchr(at, '\n', (size_t)(end - at));
		char line[2048], word[2048];
		size_t n;
		int k;

		if (!nl)
			return;
		n = (size_t)(nl - at) < sizeof(line) - 1 ? (size_t)(nl - at)
		                                         : sizeof(line) - 1;
		memcpy(line, at, n);
		line[n] = '\0';
		at = nl + 1;
		if (!strcmp(line, "end")) {
			r->complete = true;
			return;
		}
		if (sscanf(line, "fail %d %2047s", &k, word) == 2 && !r->why) {
			r->failed = k;
			r->why = report_unescape(word);
		} else if (sscanf(line, "steps %zu", &r->steps) == 1) {
		} else if (sscanf(line, "exit %d", &r->code) == 1) {
			r->exited = true;
		} else if (sscanf(line, "signal %d", &r->code) == 1) {
			r->exited = r->signaled = true;
		} else if (!strcmp(line, "probe loaded")) {
			r->probe = true;
		} else if (!strcmp(line, "confined yes")) {
			r->confined = true;
		} else if (sscanf(line, "violation %ld %lu", &r->violation_nr,
		                  &r->violation_arch) == 2) {
		} else if (sscanf(line, "transcript %zu %zu",
		                  &r->transcript_len, &r->dropped) == 2) {
			if (r->transcript_len > (size_t)(end - at))
				return;
			r->transcript = strndup(at, r->transcript_len);
			at += r->transcript_len;
		}
	}
}

/* The plan: the program, the probe library, then the script's steps. */
static int make_plan(const struct grade_ctx *g, const struct test_spec *t,
                     const struct script *s, const char *probes,
                     struct conduct_plan *plan)
{
	json_t *args = json_object_get(t->params, "args");
	const char *argv[64];
	char lib[4200];
	size_t n = 0, i;
	json_t *v;

	argv[n++] = ".bin/prog"; /* copied into the run's folder */
	json_array_foreach (args, i, v)
		if (n < 63)
			argv[n++] = json_string_value(v);
	argv[n] = NULL;
	plan_init(plan);
	plan_program(plan, "prog", g->student_bin, PLAN_STUDENT);
	plan_argv(plan, "prog", argv);
	if (s->probe) {
		/* A copy in the run's folder: the build may be where the
		 * sandbox shows nothing (under /tmp, say). */
		snprintf(lib, sizeof(lib), "%s/sigprobe.so", probes);
		plan_program(plan, "sigprobe.so", lib, PLAN_DATA);
		plan_line(plan, "preload .bin/sigprobe.so");
	}
	plan_line(plan, "%s", s->plan.text ? s->plan.text : "");
	return plan->failed ? -ENOMEM : 0;
}

static void judge(const struct script *s, const struct report *r,
                  struct sandbox_result *res, struct test_outcome *out)
{
	if (r->violation_nr >= 0) {
		/* The runner's listener caught it: named as the sandbox
		 * names its own. */
		sandbox_violation(res, (int)r->violation_nr,
		                  (uint32_t)r->violation_arch);
		out->status = TEST_VIOLATION;
		test_outcome_message(out, "%s", res->message);
	} else if (r->failed >= 0 && r->why) {
		size_t k = (size_t)r->failed;
		out->status = TEST_FAILED;
		test_outcome_message(out, "step %zu `%s`: %s", k + 1,
		                     k < s->n ? s->desc[k] : "?", r->why);
	} else if (!r->complete) {
		out->status = run_status(res);
		if (out->status == TEST_PASSED || out->status == TEST_CRASHED) {
			/* the runner itself ended: only the program could */
			out->status = TEST_FAILED;
			test_outcome_message(out,
			                     "the script was cut short after "
			                     "step %zu: the grader's runner "
			                     "ended (%s)",
			                     r->steps, res->message);
		} else {
			test_outcome_message(out, "%s", res->message);
		}
	} else if (r->steps < s->n) {
		out->status = TEST_FAILED;
		test_outcome_message(out, "the script stopped at step %zu",
		                     r->steps + 1);
	} else {
		out->status = TEST_PASSED;
	}
	if (out->status != TEST_PASSED && r->transcript)
		test_outcome_output(out, "what the program printed%s:\n%s%s",
		                    r->transcript_len ? "" : " (nothing)",
		                    r->transcript,
		                    r->dropped ? "[... more not kept]\n" : "");
}

static int trace_run(const struct grade_ctx *g, const struct test_spec *t,
                     struct test_outcome *out)
{
	const char *probes = run_probes_dir();
	struct sandbox_result res = { 0 };
	struct run_opts ro = { 0 };
	struct report rep = { 0 };
	struct conduct_plan plan;
	struct script s;
	char runner[4200];
	int err;

	if (!probes)
		return -ENOENT;
	snprintf(runner, sizeof(runner), "%s/trace", probes);
	if ((err = script_expand(json_object_get(t->params, "script"), &s)))
		goto out_script;
	if ((err = make_plan(g, t, &s, probes, &plan)))
		goto out_plan;
	ro.program = runner;
	ro.in = plan.text;
	ro.in_len = plan.len;
	ro.output_bytes = 256 << 10;
	ro.prepare = plan_copy_programs;
	ro.hook_arg = &plan;
	/* The runner holds the program's listener: it sees its handlers,
	 * its waits, its execs, and names its forbidden calls. */
	ro.witness = true;
	ro.probe_listens = true;
	ro.stderr_chatter = true;
	if ((err = run_program(g, t, RUN_STUDENT, &ro, &res)))
		goto out_plan;
	parse(&rep, res.out.data ? res.out.data : "", res.out.len);
	judge(&s, &rep, &res, out);
	free(rep.why);
	free(rep.transcript);
	sandbox_result_release(&res);
out_plan:
	plan_release(&plan);
out_script:
	script_release(&s);
	return err;
}

const struct driver trace_driver = {
	.kind = "trace",
	.keys = trace_keys,
	.check = trace_check,
	.run = trace_run,
};
