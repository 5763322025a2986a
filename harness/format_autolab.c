/*
 * format_autolab.c - Autolab's feedback: the text report (hidden tests
 * without details), a formatted-feedback line, then the autoresult
 * {"scores": {TEST-ID: points}} as the last line; none when grading failed,
 * so that Autolab reports an autograder error rather than a zero.
 */
#include "format.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

static json_t *semantic(const struct result *r)
{
	json_t *tests = json_object(), *s;

	for (size_t i = 0; tests && i < r->ntests; i++) {
		const struct test_outcome *t = &r->tests[i];
		json_t *e =
		    json_pack("{s:b}", "passed", t->status == TEST_PASSED);
		if (e && t->status != TEST_PASSED && format_shows_details(t) &&
		    t->message)
			json_object_set_new(
			    e, "hint",
			    json_bytes(t->message, strlen(t->message)));
		json_object_set_new(tests, t->id, e);
	}
	s = json_pack("{s:s, s:[s, s], s:{s:{s:b}}, s:o}", "_presentation",
	              "semantic", "stages", "Build", "Test", "Build", "compile",
	              "passed", r->build_ok, "Test", tests);
	return s;
}

int format_autolab(FILE *f, const struct result *r,
                   const struct format_options *o)
{
	struct result shown = *r;
	struct test_outcome *tests = NULL;
	json_t *scores, *line;
	int err = 0;

	(void)o;
	if (r->ntests) {
		tests = calloc(r->ntests, sizeof(*tests));
		if (!tests)
			return -ENOMEM;
		memcpy(tests, r->tests, r->ntests * sizeof(*tests));
		for (size_t i = 0; i < r->ntests; i++)
			if (!format_shows_details(&tests[i])) {
				tests[i].message = NULL;
				tests[i].output = NULL;
			}
	}
	shown.tests = tests;
	report_text(f, &shown, false, false);
	free(tests);
	if (r->status == RESULT_ERROR)
		return 0;

	line = semantic(r);
	if (!line || json_dumpf(line, f, JSON_COMPACT | JSON_ENSURE_ASCII))
		err = -EIO;
	fputc('\n', f);
	json_decref(line);
	scores = json_object();
	for (size_t i = 0; scores && i < r->ntests; i++)
		json_object_set_new(scores, r->tests[i].id,
		                    json_real(r->tests[i].score));
	line =
	    json_pack("{s:o, s:[f]}", "scores", scores, "scoreboard", r->score);
	if (!line || json_dumpf(line, f, JSON_COMPACT | JSON_ENSURE_ASCII))
		err = -EIO;
	fputc('\n', f);
	json_decref(line);
	return err;
}
