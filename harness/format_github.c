/*
 * format_github.c - GitHub Actions: ::error annotations for failed tests,
 * the details between ::stop-commands:: markers, a Markdown step summary,
 * and result=BASE64(JSON) for GitHub Classroom's grading reporter. Student
 * text can start no workflow command (escaped, and "::" lines neutralised).
 */
#include "format.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "escape.h"

/* Text after esc_gh_lines(), as one string without the last newline. New;
 * caller frees. */
static char *neutral(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m)
		return NULL;
	esc_gh_lines(m, s, "");
	fclose(m);
	if (len && buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	return buf;
}

static const char *classroom_status(enum test_status s)
{
	switch (s) {
	case TEST_PASSED:
		return "pass";
	case TEST_FAILED:
	case TEST_SKIPPED:
		return "fail";
	default:
		return "error";
	}
}

static json_t *number(double x)
{
	/* The reporter reads max_score with parseInt. */
	if (x == (double)(long long)x)
		return json_integer((long long)x);
	return json_real(x);
}

/* The JSON GitHub Classroom's autograding-grading-reporter decodes. New
 * string; caller frees. */
static char *classroom_json(const struct result *r)
{
	json_t *tests = json_array(), *root;
	const char *status = "pass";
	char *s;

	if (r->status != RESULT_GRADED)
		status = "error";
	else if (r->score < r->max_score)
		status = "fail";
	for (size_t i = 0; tests && i < r->ntests; i++) {
		const struct test_outcome *t = &r->tests[i];
		char *msg = neutral(format_shows_details(t) ? t->message : "");
		json_array_append_new(
		    tests,
		    json_pack("{s:s, s:s, s:o, s:o, s:o, s:s, s:i, s:I}",
		              "name", t->id, "status",
		              classroom_status(t->status), "score",
		              number(t->score), "message",
		              json_bytes(msg ? msg : "", msg ? strlen(msg) : 0),
		              "test_code",
		              json_sprintf("ipcgrade grade %s . --test %s",
		                           r->assignment, t->id),
		              "filename", "", "line_no", 0, "duration",
		              (json_int_t)(t->seconds * 1000)));
		free(msg);
	}
	root = json_pack("{s:i, s:s, s:o, s:o}", "version", 1, "status", status,
	                 "max_score", number(r->max_score), "tests", tests);
	s = root ? json_dumps(root, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	json_decref(root);
	return s;
}

static void base64(FILE *f, const char *s)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                          "abcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i;

	for (i = 0; i + 2 < n; i += 3) {
		unsigned v = p[i] << 16 | p[i + 1] << 8 | p[i + 2];
		fprintf(f, "%c%c%c%c", b64[v >> 18], b64[v >> 12 & 63],
		        b64[v >> 6 & 63], b64[v & 63]);
	}
	if (n - i == 1)
		fprintf(f, "%c%c==", b64[p[i] >> 2], b64[(p[i] & 3) << 4]);
	else if (n - i == 2)
		fprintf(f, "%c%c%c=", b64[p[i] >> 2],
		        b64[(p[i] & 3) << 4 | p[i + 1] >> 4],
		        b64[(p[i + 1] & 15) << 2]);
}

static void summary(FILE *f, const struct result *r)
{
	fprintf(f, "## ipcgrade: ");
	esc_md_inline(f, r->assignment);
	if (r->status == RESULT_ERROR) {
		char *e = neutral(r->error);
		fputs("\n\n**Grading failed, and not because of the "
		      "submission.**\n\n",
		      f);
		esc_md_block(f, e);
		free(e);
		return;
	}
	fprintf(f, ": %g / %g\n\n", r->score, r->max_score);
	if (r->status == RESULT_BUILD_FAILED) {
		char *log = neutral(r->build_log);
		fputs("**The submission did not build.**\n\n", f);
		esc_md_block(f, log);
		fputs("\n", f);
		free(log);
	}
	fputs("| | test | points | status |\n|---|---|---|---|\n", f);
	for (size_t i = 0; i < r->ntests; i++) {
		const struct test_outcome *t = &r->tests[i];
		fprintf(f, "| %s | ",
		        t->status == TEST_PASSED ? ":white_check_mark:"
		                                 : ":x:");
		esc_md_inline(f, t->id);
		fputs(": ", f);
		esc_md_inline(f, t->name);
		fprintf(f, " | %g / %g | %s |\n", t->score, t->max_score,
		        test_status_name(t->status));
	}
	for (size_t i = 0; i < r->ntests; i++) {
		const struct test_outcome *t = &r->tests[i];
		char *out;
		if (t->status == TEST_PASSED || r->status != RESULT_GRADED ||
		    !format_shows_details(t))
			continue;
		fputs("\n### ", f);
		esc_md_inline(f, t->id);
		fputs("\n\n", f);
		esc_md_inline(f, t->message);
		fputs("\n\n", f);
		out = neutral(t->output);
		esc_md_block(f, out);
		free(out);
	}
}

static void annotation(FILE *f, const char *title, const char *msg)
{
	fputs("::error title=", f);
	esc_gh_data(f, title, true);
	fputs("::", f);
	esc_gh_data(f, msg, false);
	fputc('\n', f);
}

/* The workflow log: annotations, then the details with commands off. */
static void log_lines(FILE *f, const struct result *r)
{
	unsigned char rnd[16];
	char token[40];

	/* Without randomness the markers are guessable, but every line in
	 * between is neutralised anyway. */
	if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd))
		memset(rnd, 0x5a, sizeof(rnd));
	for (size_t i = 0; i < sizeof(rnd); i++)
		sprintf(token + 2 * i, "%02x", rnd[i]);

	fprintf(f, "ipcgrade %s: ", r->assignment);
	if (r->status == RESULT_ERROR) {
		fputs("grading failed\n", f);
		annotation(f, "ipcgrade",
		           "grading failed, not because of the "
		           "submission: see the log");
	} else {
		fprintf(f, "%g / %g\n", r->score, r->max_score);
	}
	if (r->status == RESULT_BUILD_FAILED)
		annotation(f, "ipcgrade: build",
		           "the submission did not build");
	for (size_t i = 0; r->status == RESULT_GRADED && i < r->ntests; i++) {
		const struct test_outcome *t = &r->tests[i];
		char title[256], hidden[64];
		if (t->status == TEST_PASSED)
			continue;
		snprintf(title, sizeof(title), "ipcgrade: %s (%g/%g)", t->id,
		         t->score, t->max_score);
		snprintf(hidden, sizeof(hidden), "%s (hidden test)",
		         test_status_name(t->status));
		annotation(f, title,
		           format_shows_details(t) ? t->message : hidden);
	}

	/* Nothing between the markers is read as a command. */
	fprintf(f, "::stop-commands::%s\n", token);
	if (r->status == RESULT_ERROR)
		esc_gh_lines(f, r->error, "  ");
	if (r->status == RESULT_BUILD_FAILED)
		esc_gh_lines(f, r->build_log, "  ");
	for (size_t i = 0; i < r->ntests; i++) {
		const struct test_outcome *t = &r->tests[i];
		bool show = format_shows_details(t);
		fprintf(f, "%-9s %-22s %g/%g\n", test_status_name(t->status),
		        t->id, t->score, t->max_score);
		if (t->status == TEST_PASSED || r->status != RESULT_GRADED ||
		    !show)
			continue;
		esc_gh_lines(f, t->message, "    ");
		esc_gh_lines(f, t->output, "    ");
	}
	fprintf(f, "::%s::\n", token);
}

static int append(const char *path, const struct result *r, bool output)
{
	FILE *f = fopen(path, "a");
	char *j;
	int err = 0;

	if (!f)
		return -errno;
	if (output) {
		j = classroom_json(r);
		if (!j)
			err = -ENOMEM;
		fputs("result=", f);
		base64(f, j ? j : "");
		fputc('\n', f);
		free(j);
	} else {
		summary(f, r);
	}
	if (fclose(f) == EOF && !err)
		err = -errno;
	return err;
}

int format_github(FILE *f, const struct result *r,
                  const struct format_options *o)
{
	int err = 0, e;

	log_lines(f, r);
	if (o->gh_summary)
		err = append(o->gh_summary, r, false);
	else {
		fputs("\n", f);
		summary(f, r);
	}
	if (o->gh_output) {
		if ((e = append(o->gh_output, r, true)) && !err)
			err = e;
	} else {
		char *j = classroom_json(r);
		fputs("\nresult=", f);
		base64(f, j ? j : "");
		fputc('\n', f);
		free(j);
	}
	return err;
}
