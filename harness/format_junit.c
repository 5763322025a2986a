/*
 * format_junit.c - JUnit XML as GitLab and CI test reporters read it: one
 * <testsuite> per result, a "build" test case, then one <testcase> per
 * test with <failure> (wrong result), <error> (timeout, crash, violation,
 * harness) or <skipped>. All untrusted text goes through esc_xml().
 */
#include "format.h"

#include "escape.h"

static const char *element(enum test_status s)
{
	switch (s) {
	case TEST_PASSED:
		return NULL;
	case TEST_FAILED:
		return "failure";
	case TEST_SKIPPED:
		return "skipped";
	default:
		return "error";
	}
}

static void attr(FILE *f, const char *name, const char *value)
{
	fprintf(f, " %s=\"", name);
	esc_xml(f, value, true);
	fputc('"', f);
}

static void testcase(FILE *f, const char *classname, const char *name,
                     double seconds, const char *elem, const char *type,
                     const char *message, const char *body)
{
	fputs("    <testcase", f);
	attr(f, "classname", classname);
	attr(f, "name", name);
	fprintf(f, " time=\"%.3f\"", seconds);
	if (!elem) {
		fputs("/>\n", f);
		return;
	}
	fprintf(f, ">\n      <%s", elem);
	attr(f, "message", message ? message : "");
	attr(f, "type", type);
	fputs(">", f);
	esc_xml(f, body, false);
	fprintf(f, "</%s>\n    </testcase>\n", elem);
}

static void property(FILE *f, const char *name, const char *value)
{
	fputs("      <property", f);
	attr(f, "name", name);
	attr(f, "value", value);
	fputs("/>\n", f);
}

int format_junit(FILE *f, const struct result *r,
                 const struct format_options *o)
{
	static const char *const st[] = { "graded", "build_failed", "error" };
	unsigned failures = 0, errors = 0, skipped = 0;
	size_t tests = r->ntests + 1;
	char num[64];

	(void)o;
	if (r->status == RESULT_ERROR)
		errors++;
	else if (!r->build_ok)
		failures++;
	for (size_t i = 0; i < r->ntests; i++) {
		const char *e = element(r->tests[i].status);
		if (!e)
			continue;
		if (e[0] == 'f')
			failures++;
		else if (e[0] == 's')
			skipped++;
		else
			errors++;
	}
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites", f);
	attr(f, "name", "ipcgrade");
	fprintf(f,
	        " tests=\"%zu\" failures=\"%u\" errors=\"%u\" skipped=\"%u\" "
	        "time=\"%.3f\">\n  <testsuite",
	        tests, failures, errors, skipped, r->seconds);
	attr(f, "name", r->assignment);
	fprintf(f,
	        " tests=\"%zu\" failures=\"%u\" errors=\"%u\" skipped=\"%u\" "
	        "time=\"%.3f\">\n    <properties>\n",
	        tests, failures, errors, skipped, r->seconds);
	property(f, "submission", r->submission);
	property(f, "status", st[r->status]);
	snprintf(num, sizeof(num), "%g", r->score);
	property(f, "score", num);
	snprintf(num, sizeof(num), "%g", r->max_score);
	property(f, "max_score", num);
	property(f, "tier", r->tier ? r->tier : "none");
	fputs("    </properties>\n", f);

	if (r->status == RESULT_ERROR)
		testcase(f, r->assignment, "build", r->build_seconds, "error",
		         "error",
		         "grading failed, not because of the submission",
		         r->error);
	else
		testcase(f, r->assignment, "build", r->build_seconds,
		         r->build_ok ? NULL : "failure", "build_failed",
		         "the submission did not build", r->build_log);
	for (size_t i = 0; i < r->ntests; i++) {
		const struct test_outcome *t = &r->tests[i];
		char name[512];
		snprintf(name, sizeof(name), "%s: %s", t->id, t->name);
		testcase(f, r->assignment, name, t->seconds, element(t->status),
		         test_status_name(t->status), t->message, t->output);
	}
	fputs("  </testsuite>\n</testsuites>\n", f);
	return 0;
}
