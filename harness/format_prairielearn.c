/*
 * format_prairielearn.c - PrairieLearn's results.json: score in 0..1,
 * points and max_points on every test, gradable false when the submission
 * does not build (no attempt used) or grading failed. PrairieLearn shows
 * everything to the student, so hidden tests carry no message or output.
 */
#include "format.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static json_t *str(const char *s)
{
	return json_bytes(s, s ? strlen(s) : 0);
}

int format_prairielearn(FILE *f, const struct result *r,
                        const struct format_options *o)
{
	json_t *root, *tests = json_array();
	double score = 0;

	(void)o;
	if (!tests)
		return -ENOMEM;
	if (r->max_score > 0)
		score = r->score / r->max_score;
	if (score < 0)
		score = 0;
	if (score > 1)
		score = 1;
	for (size_t i = 0; i < r->ntests; i++) {
		const struct test_outcome *t = &r->tests[i];
		bool show = format_shows_details(t);
		json_array_append_new(
		    tests,
		    json_pack("{s:o, s:o, s:f, s:f, s:o, s:o}", "name",
		              str(t->id), "description", str(t->name), "points",
		              t->score, "max_points", t->max_score, "message",
		              show ? str(t->message)
		                   : json_sprintf("%s (hidden test)",
		                                  test_status_name(t->status)),
		              "output", str(show ? t->output : "")));
	}
	if (r->status == RESULT_GRADED) {
		root =
		    json_pack("{s:b, s:f, s:f, s:f, s:o, s:o, s:o}", "gradable",
		              1, "score", score, "points", r->score,
		              "max_points", r->max_score, "message",
		              json_sprintf("%s: %g / %g points", r->assignment,
		                           r->score, r->max_score),
		              "output", str(r->build_log), "tests", tests);
	} else {
		const char *why = r->status == RESULT_BUILD_FAILED
		                      ? "the submission did not build"
		                      : "grading failed (not because of the "
		                        "submission); please tell the course "
		                        "staff";
		const char *log =
		    r->status == RESULT_BUILD_FAILED ? r->build_log : r->error;
		json_decref(tests);
		root =
		    json_pack("{s:b, s:f, s:s, s:[s, o], s:o}", "gradable", 0,
		              "score", 0.0, "message", why, "format_errors",
		              why, str(log), "output", str(log));
	}
	return format_dump(f, root);
}
