/*
 * check_formats.c - each --format writer, validated as its platform reads
 * it: Gradescope/PrairieLearn JSON against their documented fields, JUnit
 * XML against tests/fixtures/junit.xsd (xmllint), TAP with prove, Autolab's
 * last line, GitHub commands student text cannot forge; on made-up hostile
 * results, then through the CLI.
 */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "escape.h"
#include "format.h"
#include "suites.h"
#include "testutil.h"

/* What a hostile submission may print: control bytes, invalid UTF-8,
 * markup, fences, fake workflow commands, fake TAP, non-XML characters. */
static const char hostile[] =
    "out\x01\x0b\x1b[31m\xff\xfe <script>&\"'</script> ]]> ```` ~~~\n"
    "::set-output name=score::100\n  ::error::pwned\n##[error]old syntax\n"
    "%0A::warning::x\r\n::add-mask::y\n# not a directive\n"
    "not ok 99 - fake\n  ...\nBail out!\n\xef\xbf\xbe\xef\xbf\xbf end";
#define SECRET "SECRET-OF-A-HIDDEN-TEST"

enum kind {
	GRADED,
	BUILD_FAILED,
	ERRORED
};

static void make_result(struct result *r, enum kind k)
{
	static const struct {
		const char *id, *name;
		enum test_status st;
		enum visibility vis;
		double score, max;
	} rows[] = {
		{ "works", "it works", TEST_PASSED, VIS_VISIBLE, 2, 2 },
		{ "hostile", "prints | hostile * bytes #", TEST_FAILED,
		  VIS_VISIBLE, 0, 3 },
		{ "secret", "a hidden test", TEST_TIMEOUT, VIS_HIDDEN, 0, 1.5 },
		{ "crash", "crashes", TEST_CRASHED, VIS_AFTER_DUE_DATE, 0, 1 },
	};

	memset(r, 0, sizeof(*r));
	r->assignment = "fmt";
	r->submission = strdup("alice");
	r->status = k == GRADED         ? RESULT_GRADED
	            : k == BUILD_FAILED ? RESULT_BUILD_FAILED
	                                : RESULT_ERROR;
	r->build_ok = k == GRADED;
	r->build_seconds = 0.25;
	r->build_log = strdup(k == BUILD_FAILED ? hostile : "$ cc -o x x.c\n");
	r->tier = "basic";
	r->seconds = 1.5;
	if (k == ERRORED)
		r->error = strdup(hostile);
	r->ntests = ARRAY_SIZE(rows);
	r->tests = calloc(r->ntests, sizeof(*r->tests));
	ck_assert_ptr_nonnull(r->tests);
	for (size_t i = 0; i < r->ntests; i++) {
		struct test_outcome *t = &r->tests[i];
		t->id = rows[i].id;
		t->name = rows[i].name;
		t->visibility = rows[i].vis;
		t->max_score = rows[i].max;
		r->max_score += t->max_score;
		t->seconds = 0.125;
		if (k != GRADED) {
			t->status = k == ERRORED ? TEST_SKIPPED : TEST_FAILED;
			continue;
		}
		t->status = rows[i].st;
		t->score = rows[i].score;
		r->score += t->score;
		t->message = strdup(i == 2 ? SECRET : hostile);
		t->output = strdup(i == 2 ? SECRET : hostile);
	}
}

/* Write r in format name; returns a new string (caller frees). */
static char *render(const char *name, const struct result *r,
                    const struct format_options *o)
{
	const struct format *fmt = format_lookup(name);
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	ck_assert_msg(fmt, "no format '%s'", name);
	ck_assert_ptr_nonnull(m);
	ck_assert_int_eq(format_write(fmt, m, r, o), 0);
	fclose(m);
	return buf;
}

static char *write_temp(const char *text, const char *suffix)
{
	char *path;
	FILE *f;

	ck_assert_int_ge(asprintf(&path, "/tmp/check-fmt-XXXXXX%s", suffix), 0);
	int fd = mkstemps(path, strlen(suffix));
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

static char *slurp(const char *path, size_t *len)
{
	char *buf = NULL;
	size_t n = 0, k;
	char chunk[4096];
	FILE *m = open_memstream(&buf, &n), *f = fopen(path, "r");

	ck_assert_msg(f, "cannot read %s", path);
	while ((k = fread(chunk, 1, sizeof(chunk), f)) > 0)
		fwrite(chunk, 1, k, m);
	fclose(f);
	fclose(m);
	*len = n;
	return buf;
}

/* Run a shell command; its exit status, and its output in *out. */
static int run(const char *cmd, char **out)
{
	char *buf = NULL;
	size_t len = 0, n;
	char chunk[4096];
	FILE *m = open_memstream(&buf, &len), *p = popen(cmd, "r");
	int st;

	ck_assert_ptr_nonnull(p);
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		fwrite(chunk, 1, n, m);
	st = pclose(p);
	fclose(m);
	if (out)
		*out = buf;
	else
		free(buf);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static bool one_of(const char *s, const char *const *set)
{
	for (; s && *set; set++)
		if (!strcmp(s, *set))
			return true;
	return false;
}

static void only_keys(json_t *o, const char *const *allowed, const char *what)
{
	const char *k;
	json_t *v;

	ck_assert_msg(json_is_object(o), "%s is not an object", what);
	json_object_foreach (o, k, v)
		ck_assert_msg(one_of(k, allowed), "%s: undocumented key '%s'",
		              what, k);
}

/*** Validators: one per platform, used on made-up and real results. ***/

static void check_gradescope(const char *text, bool graded)
{
	static const char *const top[] = {
		"score",         "execution_time",     "output",
		"output_format", "test_output_format", "test_name_format",
		"visibility",    "stdout_visibility",  "extra_data",
		"tests",         "leaderboard",        NULL
	};
	static const char *const test[] = {
		"score",       "max_score",  "status",     "name",
		"name_format", "number",     "output",     "output_format",
		"tags",        "visibility", "extra_data", NULL
	};
	static const char *const vis[] = { "visible", "hidden",
		                           "after_due_date", "after_published",
		                           NULL };
	static const char *const fmts[] = { "text", "html", "simple_format",
		                            "md",   "ansi", NULL };
	static const char *const st[] = { "passed", "failed", NULL };
	json_error_t err;
	json_t *j = json_loads(text, 0, &err), *tests, *t;
	double sum = 0;
	size_t i;

	ck_assert_msg(j, "not JSON: %s", err.text);
	only_keys(j, top, "results.json");
	ck_assert(json_is_number(json_object_get(j, "score")));
	ck_assert_msg(json_is_number(json_object_get(j, "execution_time")),
	              "execution_time must be a number");
	ck_assert(one_of(json_string_value(json_object_get(j, "output_format")),
	                 fmts));
	ck_assert(one_of(
	    json_string_value(json_object_get(j, "test_output_format")), fmts));
	ck_assert(one_of(
	    json_string_value(json_object_get(j, "stdout_visibility")), vis));
	tests = json_object_get(j, "tests");
	ck_assert(json_is_array(tests));
	json_array_foreach (tests, i, t) {
		json_t *sc = json_object_get(t, "score"),
		       *mx = json_object_get(t, "max_score"),
		       *tags = json_object_get(t, "tags");
		only_keys(t, test, "tests[]");
		ck_assert(json_is_string(json_object_get(t, "name")));
		ck_assert(one_of(
		    json_string_value(json_object_get(t, "status")), st));
		ck_assert(!sc || json_is_number(sc));
		ck_assert(!mx || json_is_number(mx));
		ck_assert_msg(sc || json_object_get(t, "status"),
		              "a test needs a score or a status");
		ck_assert(one_of(
		    json_string_value(json_object_get(t, "visibility")), vis));
		ck_assert(one_of(
		    json_string_value(json_object_get(t, "output_format")),
		    fmts));
		ck_assert(json_is_string(json_object_get(t, "output")));
		ck_assert(!tags || json_is_array(tags));
		if (sc) {
			ck_assert(json_number_value(sc) <=
			          json_number_value(mx));
			sum += json_number_value(sc);
		}
	}
	if (graded)
		ck_assert_double_eq_tol(
		    sum, json_number_value(json_object_get(j, "score")), 1e-9);
	json_decref(j);
}

static void check_prairielearn(const char *text, bool gradable)
{
	static const char *const top[] = {
		"gradable", "score",         "message", "output",     "images",
		"tests",    "format_errors", "points",  "max_points", NULL
	};
	static const char *const test[] = { "name",    "description",
		                            "points",  "max_points",
		                            "message", "output",
		                            "images",  NULL };
	json_error_t err;
	json_t *j = json_loads(text, 0, &err), *t;
	double score;
	size_t i;

	ck_assert_msg(j, "not JSON: %s", err.text);
	only_keys(j, top, "results.json");
	ck_assert(json_is_boolean(json_object_get(j, "gradable")));
	ck_assert_int_eq(json_is_true(json_object_get(j, "gradable")),
	                 gradable);
	score = json_number_value(json_object_get(j, "score"));
	ck_assert(json_is_number(json_object_get(j, "score")));
	ck_assert(score >= 0 && score <= 1);
	if (!gradable) {
		ck_assert(json_object_get(j, "format_errors"));
		json_decref(j);
		return;
	}
	json_array_foreach (json_object_get(j, "tests"), i, t) {
		only_keys(t, test, "tests[]");
		ck_assert(json_is_string(json_object_get(t, "name")));
		/* PrairieLearn shows points only if every test has both. */
		ck_assert(json_is_number(json_object_get(t, "points")));
		ck_assert(json_is_number(json_object_get(t, "max_points")));
	}
	ck_assert_msg(!strstr(text, SECRET), "a hidden test's details leaked");
	json_decref(j);
}

static void check_autolab(const char *text, bool scored, const char *const *ids)
{
	const char *last, *end = text + strlen(text);
	json_t *j, *scores;
	size_t n = 0;

	ck_assert_msg(end > text && end[-1] == '\n', "no final newline");
	for (last = end - 1; last > text && last[-1] != '\n'; last--)
		;
	j = json_loadb(last, end - last, 0, NULL);
	if (!scored) {
		ck_assert_msg(!j || !json_object_get(j, "scores"),
		              "an autoresult although grading failed");
		json_decref(j);
		return;
	}
	ck_assert_msg(j, "last line is not JSON: %s", last);
	scores = json_object_get(j, "scores");
	ck_assert(json_is_object(scores));
	for (; ids && *ids; ids++, n++)
		ck_assert_msg(json_is_number(json_object_get(scores, *ids)),
		              "no score for '%s'", *ids);
	ck_assert_uint_eq(json_object_size(scores), n);
	ck_assert_msg(!strstr(text, SECRET), "a hidden test's details leaked");
	json_decref(j);
}

static size_t b64_decode(const char *s, char *out)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                          "abcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned v = 0, bits = 0;
	size_t n = 0;

	for (; *s && *s != '=' && *s != '\n'; s++) {
		const char *p = strchr(b64, *s);
		ck_assert_msg(p, "not base64: '%c'", *s);
		v = v << 6 | (unsigned)(p - b64);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[n++] = (char)(v >> bits & 0xff);
		}
	}
	out[n] = '\0';
	return n;
}

/* Every line the runner could read as a command must be one of ours. */
static void check_github_log(const char *text)
{
	char *copy = strdup(text), *save = NULL, token[64] = "";

	for (char *l = strtok_r(copy, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		const char *p = l + strspn(l, " \t");
		ck_assert_msg(!strstr(l, "##["), "old command syntax: %s", l);
		ck_assert_msg(!strchr(l, '\r'), "carriage return: %s", l);
		if (strncmp(p, "::", 2))
			continue;
		ck_assert_msg(p == l, "indented command: %s", l);
		if (!strncmp(l, "::stop-commands::", 17)) {
			snprintf(token, sizeof(token), "::%s::", l + 17);
			ck_assert_uint_ge(strlen(l + 17), 32);
			continue;
		}
		if (*token && !strcmp(l, token)) {
			*token = '\0';
			continue;
		}
		ck_assert_msg(!*token, "command while commands are off: %s", l);
		ck_assert_msg(!strncmp(l, "::error title=ipcgrade", 22),
		              "a command that is not ours: %s", l);
	}
	ck_assert_msg(!*token, "commands never turned back on");
	free(copy);
}

static void check_github_result(const char *line, const char *status)
{
	char *json;
	json_t *j, *t;
	size_t i;

	ck_assert_msg(!strncmp(line, "result=", 7), "no result=: %s", line);
	json = malloc(strlen(line));
	b64_decode(line + 7, json);
	j = json_loads(json, 0, NULL);
	ck_assert_msg(j, "result is not base64 JSON: %s", json);
	ck_assert_int_eq(json_integer_value(json_object_get(j, "version")), 1);
	ck_assert_str_eq(json_string_value(json_object_get(j, "status")),
	                 status);
	ck_assert(json_is_number(json_object_get(j, "max_score")));
	json_array_foreach (json_object_get(j, "tests"), i, t) {
		static const char *const st[] = { "pass", "fail", "error",
			                          NULL };
		ck_assert(json_is_string(json_object_get(t, "name")));
		ck_assert(one_of(
		    json_string_value(json_object_get(t, "status")), st));
		ck_assert(json_is_number(json_object_get(t, "score")));
	}
	ck_assert_msg(!strstr(json, SECRET), "a hidden test's details leaked");
	json_decref(j);
	free(json);
}

static void check_junit(const char *text)
{
	char *path = write_temp(text, ".xml"), cmd[512], *out;
	int rc;

	snprintf(cmd, sizeof(cmd),
	         "xmllint --noout --schema tests/fixtures/junit.xsd %s 2>&1",
	         path);
	rc = run(cmd, &out);
	ck_assert_msg(rc == 0, "JUnit XML does not validate: %s\n%.2000s", out,
	              text);
	free(out);
	unlink(path);
	free(path);
}

/* prove parses it without complaint and counts tests tests, failed of
 * them failed (-1: bailed out). */
static void check_tap(const char *text, int tests, int failed)
{
	char *path = write_temp(text, ".tap"), cmd[512], *out, want[128];
	int rc;

	snprintf(cmd, sizeof(cmd), "prove -e cat %s 2>&1", path);
	rc = run(cmd, &out);
	ck_assert_msg(!strstr(out, "Parse errors"), "TAP parse errors: %s",
	              out);
	if (failed < 0) {
		ck_assert_msg(strstr(out, "Bailout called"), "%s", out);
	} else if (failed == 0) {
		ck_assert_msg(rc == 0 && strstr(out, "Result: PASS"), "%s",
		              out);
	} else {
		snprintf(want, sizeof(want), "Tests: %d Failed: %d)", tests,
		         failed);
		ck_assert_msg(rc != 0 && strstr(out, want),
		              "prove: want '%s' in:\n%s", want, out);
	}
	free(out);
	unlink(path);
	free(path);
}

/*** Made-up results ***/

static const enum kind kinds[] = { GRADED, BUILD_FAILED, ERRORED };

START_TEST(test_format_gradescope_documented_fields)
{
	struct result r;
	char *out;

	make_result(&r, kinds[_i]);
	out = render("gradescope", &r, NULL);
	check_gradescope(out, kinds[_i] == GRADED);
	if (kinds[_i] == GRADED) {
		/* Hidden tests keep their visibility: Gradescope hides them. */
		ck_assert_ptr_nonnull(
		    strstr(out, "\"visibility\": \"hidden\""));
		/* The student's fence cannot close ours. */
		ck_assert_ptr_nonnull(strstr(out, "`````text"));
	}
	free(out);
	result_release(&r);
}
END_TEST

START_TEST(test_format_prairielearn_documented_fields)
{
	struct result r;
	char *out;

	make_result(&r, kinds[_i]);
	out = render("prairielearn", &r, NULL);
	check_prairielearn(out, kinds[_i] == GRADED);
	free(out);
	result_release(&r);
}
END_TEST

START_TEST(test_format_autolab_scores_last)
{
	static const char *const ids[] = { "works", "hostile", "secret",
		                           "crash", NULL };
	struct result r;
	char *out;

	make_result(&r, kinds[_i]);
	out = render("autolab", &r, NULL);
	check_autolab(out, kinds[_i] != ERRORED, ids);
	free(out);
	result_release(&r);
}
END_TEST

START_TEST(test_format_github_cannot_be_injected)
{
	static const char *const st[] = { "fail", "error", "error" };
	struct result r;
	struct format_options o = { 0 };
	char *out, *sum, *res, *summary_path = write_temp("", ".md"),
	                       *output_path = write_temp("", ".out");
	size_t len;

	make_result(&r, kinds[_i]);
	o.gh_summary = summary_path;
	o.gh_output = output_path;
	out = render("github", &r, &o);
	check_github_log(out);
	sum = slurp(summary_path, &len);
	res = slurp(output_path, &len);
	/* Markdown is not read for commands, but stays clean too. */
	for (char *l = sum; l && *l;
	     l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		ck_assert_msg(strncmp(l + strspn(l, " \t"), "::", 2),
		              "summary line starts with '::': %.60s", l);
	ck_assert_msg(!strstr(sum, "##["), "old syntax in the summary");
	ck_assert_msg(!strstr(sum, SECRET) && !strstr(out, SECRET),
	              "a hidden test's details leaked");
	ck_assert_msg(len && strchr(res, '\n') == res + len - 1,
	              "GITHUB_OUTPUT: not one line: %s", res);
	check_github_result(res, st[_i]);
	if (kinds[_i] == GRADED)
		ck_assert_int_eq((int)(strstr(out, "::error title=") != NULL),
		                 1);
	free(out);
	free(sum);
	free(res);
	unlink(summary_path);
	unlink(output_path);
	free(summary_path);
	free(output_path);
	result_release(&r);
}
END_TEST

START_TEST(test_format_junit_validates)
{
	struct result r;
	char *out;

	make_result(&r, kinds[_i]);
	out = render("junit", &r, NULL);
	check_junit(out);
	free(out);
	result_release(&r);
}
END_TEST

START_TEST(test_format_tap_passes_prove)
{
	/* build + 4 tests; graded: hostile, secret, crash fail. */
	static const int failed[] = { 3, 5, -1 };
	struct result r;
	char *out;

	make_result(&r, kinds[_i]);
	out = render("tap", &r, NULL);
	check_tap(out, 5, failed[_i]);
	free(out);
	result_release(&r);
}
END_TEST

START_TEST(test_format_tap_all_passed)
{
	struct result r;
	char *out;

	make_result(&r, GRADED);
	for (size_t i = 0; i < r.ntests; i++)
		r.tests[i].status = TEST_PASSED;
	out = render("tap", &r, NULL);
	check_tap(out, 5, 0);
	free(out);
	result_release(&r);
}
END_TEST

/*** The escapers, row by row ***/

static const struct {
	const char *name;
	const char *in, *want;
} escapes[] = {
	{ "xml", "a<b>&\"'\x01\t\r", "a&lt;b&gt;&amp;\"'\\x01\t&#13;" },
	{ "xml-attr", "\"'\n\t", "&quot;&apos;&#10;&#9;" },
	{ "xml", "\xef\xbf\xbe\xff", "\xef\xbf\xbd\xef\xbf\xbd" },
	{ "md", "[x](y) *b* <i> |`", "\\[x\\](y) \\*b\\* \\<i\\> \\|\\`" },
	{ "yaml", "a\"\\\n\x01\xc2\x85", "\"a\\\"\\\\\\n\\x01\\x85\"" },
	{ "gh", "50%\r\n::x\x01##[", "50%25%0D%0A::x\\x01##\\[" },
	{ "gh-prop", "a:b,c", "a%3Ab%2Cc" },
	{ "lines", "ok\n  ::error::x\n##[warning]y\n",
	  "> ok\n>   \\::error::x\n> ##\\[warning]y\n" },
	{ "block", "``` x ````", "`````text\n``` x ````\n`````\n" },
};

START_TEST(test_escape_row)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	const char *n = escapes[_i].name, *in = escapes[_i].in;

	if (!strcmp(n, "xml"))
		esc_xml(m, in, false);
	else if (!strcmp(n, "xml-attr"))
		esc_xml(m, in, true);
	else if (!strcmp(n, "md"))
		esc_md_inline(m, in);
	else if (!strcmp(n, "yaml"))
		esc_yaml(m, in);
	else if (!strcmp(n, "gh"))
		esc_gh_data(m, in, false);
	else if (!strcmp(n, "gh-prop"))
		esc_gh_data(m, in, true);
	else if (!strcmp(n, "lines"))
		esc_gh_lines(m, in, "> ");
	else
		esc_md_block(m, in);
	fclose(m);
	ck_assert_msg(!strcmp(buf, escapes[_i].want),
	              "row %d (%s): got '%s', want '%s'", _i, n, buf,
	              escapes[_i].want);
	free(buf);
}
END_TEST

/*** Through the CLI, on real gradings ***/

static const char *const cli_formats[] = { "gradescope", "prairielearn",
	                                   "autolab",    "github",
	                                   "junit",      "tap",
	                                   "text",       "json" };
static const char *const cli_examples[] = { "garbage", "no-build" };

START_TEST(test_format_cli_every_format)
{
	static const char *const ids[] = { "echo", "exit-code", "big", "usage",
		                           NULL };
	const char *fmt = cli_formats[_i / 2], *ex = cli_examples[_i % 2];
	const char *bin = getenv("IPCGRADE_BIN");
	bool built = !strcmp(ex, "garbage");
	char cmd[1024], *out;
	int rc;

	ck_assert_msg(bin, "IPCGRADE_BIN is not set (run through make)");
	snprintf(
	    cmd, sizeof(cmd),
	    "GITHUB_STEP_SUMMARY= GITHUB_OUTPUT= IPCGRADE_HOME=tests/fixtures "
	    "%s grade upper tests/fixtures/assignments/upper/examples/%s "
	    "--format %s",
	    bin, ex, fmt);
	rc = run(cmd, &out);
	ck_assert_msg(rc == 0, "%s: exit %d: %s", cmd, rc, out);
	if (!strcmp(fmt, "gradescope"))
		check_gradescope(out, built);
	else if (!strcmp(fmt, "prairielearn"))
		check_prairielearn(out, built);
	else if (!strcmp(fmt, "autolab"))
		check_autolab(out, true, ids);
	else if (!strcmp(fmt, "github")) {
		char *res = strstr(out, "\nresult=");
		check_github_log(out);
		ck_assert_ptr_nonnull(res);
		check_github_result(res + 1, built ? "fail" : "error");
	} else if (!strcmp(fmt, "junit"))
		check_junit(out);
	else if (!strcmp(fmt, "tap"))
		check_tap(out, 5, built ? 2 : 5);
	else if (!strcmp(fmt, "json"))
		ck_assert_ptr_nonnull(strstr(out, "\"ipcgrade/result/1\""));
	else
		ck_assert_ptr_null(strchr(out, '\033'));
	free(out);
}
END_TEST

Suite *formats_suite(void)
{
	Suite *s = suite_create("formats");
	TCase *tc = tcase_create("writers");
	TCase *cli = tcase_create("cli");

	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_format_gradescope_documented_fields, 0,
	                    ARRAY_SIZE(kinds));
	tcase_add_loop_test(tc, test_format_prairielearn_documented_fields, 0,
	                    ARRAY_SIZE(kinds));
	tcase_add_loop_test(tc, test_format_autolab_scores_last, 0,
	                    ARRAY_SIZE(kinds));
	tcase_add_loop_test(tc, test_format_github_cannot_be_injected, 0,
	                    ARRAY_SIZE(kinds));
	tcase_add_loop_test(tc, test_format_junit_validates, 0,
	                    ARRAY_SIZE(kinds));
	tcase_add_loop_test(tc, test_format_tap_passes_prove, 0,
	                    ARRAY_SIZE(kinds));
	tcase_add_test(tc, test_format_tap_all_passed);
	tcase_add_loop_test(tc, test_escape_row, 0, ARRAY_SIZE(escapes));
	suite_add_tcase(s, tc);
	tcase_set_timeout(cli, 60);
	tcase_add_loop_test(cli, test_format_cli_every_format, 0,
	                    2 * ARRAY_SIZE(cli_formats));
	suite_add_tcase(s, cli);
	return s;
}
