#include "report.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "utf8.h"

static const char *col(bool on, const char *code)
{
	return on ? code : "";
}

bool report_want_color(FILE *f)
{
	const char *nc = getenv("NO_COLOR");
	return isatty(fileno(f)) && !(nc && *nc);
}

/* Print student-made text safely: valid UTF-8, no terminal escapes. */
static void safe_print(FILE *f, const char *s, const char *indent)
{
	size_t n;
	char *clean;

	if (!s)
		return;
	clean = utf8_sanitize(s, strlen(s), &n);
	if (!clean)
		return;
	fputs(indent, f);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = clean[i];
		if (c == '\n')
			fprintf(f, "\n%s", indent);
		else if (c < 0x20 && c != '\t')
			fprintf(f, "\\x%02x", c);
		else if (c == 0x7f)
			fputs("\\x7f", f);
		else
			fputc(c, f);
	}
	fputc('\n', f);
	free(clean);
}

void report_text(FILE *f, const struct result *r, bool color, bool student)
{
	const char *red = col(color, "\033[31m"),
	           *green = col(color, "\033[32m"),
	           *bold = col(color, "\033[1m"), *off = col(color, "\033[0m");
	const struct test_outcome *first = NULL;

	fprintf(f, "%s%s%s: %s\n", bold, r->assignment, off, r->submission);
	if (r->status == RESULT_ERROR) {
		fprintf(f, "%sgrading failed (not the submission's fault):%s\n",
		        red, off);
		safe_print(f, r->error, "  ");
		return;
	}
	if (r->status == RESULT_BUILD_FAILED) {
		fprintf(f, "%sthe submission did not build:%s\n", red, off);
		safe_print(f, r->build_log, "  ");
	}
	for (size_t i = 0; i < r->ntests; i++) {
		const struct test_outcome *t = &r->tests[i];
		bool ok = t->status == TEST_PASSED;
		fprintf(f, "  %s%-9s%s %-22s %5.1f/%-5.1f %s\n",
		        ok ? green : red, test_status_name(t->status), off,
		        t->id, t->score, t->max_score, t->name);
		if (ok || r->status == RESULT_BUILD_FAILED)
			continue;
		if (!first)
			first = t;
		safe_print(f, t->message, "      ");
		if (t->output)
			safe_print(f, t->output, "      ");
	}
	fprintf(f, "%sscore: %g / %g%s\n", bold, r->score, r->max_score, off);
	if (student && first)
		fprintf(f, "fix first: %s (%s): %s\n", first->id, first->name,
		        first->message ? first->message : "");
	else if (student && r->status == RESULT_BUILD_FAILED)
		fprintf(f, "fix first: the build (see the compiler's messages "
		           "above)\n");
}
