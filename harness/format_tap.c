/*
 * format_tap.c - TAP version 13 for prove and TAP consumers: test 1 is the
 * build, then one line per test, failures with a YAML block (message,
 * severity, points, output on one double-quoted line that no student text
 * can end). Grading failed: the reason as comments, then "Bail out!".
 */
#include "format.h"

#include <stdlib.h>
#include <string.h>

#include "escape.h"

/* A test description: no newline, and '#' (a directive) escaped. */
static void description(FILE *f, const char *id, const char *name)
{
	char *v = esc_clean(name);

	fprintf(f, " - %s: ", id);
	for (const char *p = v ? v : ""; *p; p++) {
		if (*p == '\n' || *p == '\t')
			fputc(' ', f);
		else if (*p == '#' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else
			fputc(*p, f);
	}
	free(v);
}

static void comment(FILE *f, const char *s)
{
	char *v = esc_clean(s);

	fputs("# ", f);
	for (const char *p = v ? v : ""; *p; p++) {
		fputc(*p, f);
		if (*p == '\n' && p[1])
			fputs("# ", f);
	}
	if (!v || !*v || v[strlen(v) - 1] != '\n')
		fputc('\n', f);
	free(v);
}

static void yaml_block(FILE *f, const char *message, const char *severity,
                       double score, double max, const char *output)
{
	fputs("  ---\n  message: ", f);
	esc_yaml(f, message);
	fprintf(f,
	        "\n  severity: %s\n  data:\n    score: %g\n    max_score: %g\n",
	        severity, score, max);
	if (output && *output) {
		fputs("  output: ", f);
		esc_yaml(f, output);
		fputc('\n', f);
	}
	fputs("  ...\n", f);
}

int format_tap(FILE *f, const struct result *r, const struct format_options *o)
{
	(void)o;
	fputs("TAP version 13\n", f);
	if (r->status == RESULT_ERROR) {
		/* Why, as comments (never read as TAP), then stop. */
		fputs("1..1\n", f);
		comment(f, r->error);
		fputs("not ok 1 - grading: grading failed\n"
		      "Bail out! grading failed, not because of the "
		      "submission\n",
		      f);
		return 0;
	}
	fprintf(f, "1..%zu\n", r->ntests + 1);
	fprintf(f, "%sok 1", r->build_ok ? "" : "not ");
	description(f, "build", "the submission builds");
	fputc('\n', f);
	if (!r->build_ok)
		yaml_block(f, "the submission did not build", "fail", 0, 0,
		           r->build_log);
	for (size_t i = 0; i < r->ntests; i++) {
		const struct test_outcome *t = &r->tests[i];
		bool ok = t->status == TEST_PASSED || t->status == TEST_SKIPPED;
		fprintf(f, "%sok %zu", ok ? "" : "not ", i + 2);
		description(f, t->id, t->name);
		if (t->status == TEST_SKIPPED)
			fputs(" # SKIP not run", f);
		fputc('\n', f);
		if (!ok)
			yaml_block(f, t->message, test_status_name(t->status),
			           t->score, t->max_score, t->output);
	}
	fprintf(f, "# score: %g / %g\n", r->score, r->max_score);
	return 0;
}
