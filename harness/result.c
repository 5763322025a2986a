#include "result.h"

#include <inttypes.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "utf8.h"

static const char *const status_names[] = {
	[TEST_PASSED] = "passed",       [TEST_FAILED] = "failed",
	[TEST_TIMEOUT] = "timeout",     [TEST_CRASHED] = "crashed",
	[TEST_VIOLATION] = "violation", [TEST_ERROR] = "error",
	[TEST_SKIPPED] = "skipped",
};

static const char *const vis_names[] = {
	[VIS_VISIBLE] = "visible",
	[VIS_HIDDEN] = "hidden",
	[VIS_AFTER_DUE_DATE] = "after_due_date",
	[VIS_AFTER_PUBLISHED] = "after_published",
};

const char *test_status_name(enum test_status s)
{
	return status_names[s];
}

const char *visibility_name(enum visibility v)
{
	return vis_names[v];
}

int visibility_parse(const char *s)
{
	for (size_t i = 0; i < sizeof(vis_names) / sizeof(*vis_names); i++)
		if (!strcmp(s, vis_names[i]))
			return (int)i;
	return -1;
}

static char *vformat(const char *fmt, va_list ap)
{
	char *s;
	if (vasprintf(&s, fmt, ap) < 0)
		return NULL;
	return s;
}

void test_outcome_message(struct test_outcome *t, const char *fmt, ...)
{
	va_list ap;
	char *old = t->message;
	va_start(ap, fmt);
	t->message = vformat(fmt, ap); /* the arguments may use the old text */
	va_end(ap);
	free(old);
}

void test_outcome_output(struct test_outcome *t, const char *fmt, ...)
{
	va_list ap;
	char *old = t->output;
	va_start(ap, fmt);
	t->output = vformat(fmt, ap); /* the arguments may use the old text */
	va_end(ap);
	free(old);
}

json_t *json_bytes(const char *s, size_t n)
{
	size_t len;
	char *clean = utf8_sanitize(s ? s : "", s ? n : 0, &len);
	json_t *j = clean ? json_stringn(clean, len) : NULL;
	free(clean);
	return j;
}

static json_t *str(const char *s)
{
	return json_bytes(s, s ? strlen(s) : 0);
}

json_t *result_to_json(const struct result *r)
{
	static const char *const st[] = { "graded", "build_failed", "error" };
	json_t *tests = json_array(), *o;

	for (size_t i = 0; i < r->ntests; i++) {
		const struct test_outcome *t = &r->tests[i];
		json_array_append_new(
		    tests,
		    json_pack("{s:o, s:o, s:f, s:f, s:s, s:s, s:o, s:o, s:f}",
		              "id", str(t->id), "name", str(t->name), "score",
		              t->score, "max_score", t->max_score, "status",
		              test_status_name(t->status), "visibility",
		              visibility_name(t->visibility), "message",
		              str(t->message), "output", str(t->output),
		              "seconds", t->seconds));
	}
	o = json_pack("{s:s, s:o, s:o, s:s, s:f, s:f, s:{s:b, s:f, s:o}, s:o, "
	              "s:{s:s, s:o}, s:{s:s, s:f}}",
	              "schema", "ipcgrade/result/1", "assignment",
	              str(r->assignment), "submission", str(r->submission),
	              "status", st[r->status], "score", r->score, "max_score",
	              r->max_score, "build", "ok", r->build_ok, "seconds",
	              r->build_seconds, "log", str(r->build_log), "tests",
	              tests, "sandbox", "tier", r->tier ? r->tier : "none",
	              "layers", json_array(), "harness", "version",
	              IPCGRADE_VERSION, "seconds", r->seconds);
	if (o) {
		json_t *layers =
		    json_object_get(json_object_get(o, "sandbox"), "layers");
		char buf[sizeof(r->layers)], *save = NULL;
		snprintf(buf, sizeof(buf), "%s", r->layers);
		for (char *w = strtok_r(buf, " ", &save); w;
		     w = strtok_r(NULL, " ", &save))
			json_array_append_new(layers, json_string(w));
		if (r->error)
			json_object_set_new(o, "error", str(r->error));
		if (r->harness_hash[0] || r->assignment_hash[0] ||
		    r->submission_hash[0]) {
			json_t *h = json_object();
			const char *const names[] = { "harness", "assignment",
				                      "submission" };
			const char *const values[] = { r->harness_hash,
				                       r->assignment_hash,
				                       r->submission_hash };
			for (int i = 0; i < 3; i++)
				if (values[i][0])
					json_object_set_new(
					    h, names[i],
					    json_string(values[i]));
			json_object_set_new(o, "hashes", h);
		}
		/* As text: JSON numbers lose the low bits of 64. */
		if (r->seed) {
			char seed[24];
			snprintf(seed, sizeof(seed), "%" PRIu64, r->seed);
			json_object_set_new(json_object_get(o, "harness"),
			                    "seed", json_string(seed));
		}
	}
	return o;
}

void result_release(struct result *r)
{
	for (size_t i = 0; i < r->ntests; i++) {
		free(r->tests[i].message);
		free(r->tests[i].output);
	}
	free(r->tests);
	free(r->submission);
	free(r->build_log);
	free(r->error);
	memset(r, 0, sizeof(*r));
}
