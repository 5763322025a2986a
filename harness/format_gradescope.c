/*
 * format_gradescope.c - Gradescope's results.json: per-test score,
 * max_score, status, visibility and a Markdown output with the diagnosis in
 * a code block; a status-only "Compilation" test first. Gradescope itself
 * hides tests by their visibility, so every test is written in full.
 */
#include "format.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "escape.h"

/* A new JSON string of what write(f, arg) prints. */
static json_t *md_string(void (*write)(FILE *, const void *), const void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	json_t *j;

	if (!m)
		return NULL;
	write(m, arg);
	fclose(m);
	j = json_bytes(buf, len);
	free(buf);
	return j;
}

static void test_md(FILE *m, const void *arg)
{
	const struct test_outcome *t = arg;

	fprintf(m, "**%s**", test_status_name(t->status));
	if (t->message && *t->message) {
		fputs(": ", m);
		esc_md_inline(m, t->message);
	}
	fputs("\n", m);
	if (t->output && *t->output) {
		fputs("\n", m);
		esc_md_block(m, t->output);
	}
}

static void build_md(FILE *m, const void *arg)
{
	const struct result *r = arg;

	fputs(r->build_ok ? "The submission built.\n"
	                  : "**The submission did not build.** The "
	                    "compiler said:\n",
	      m);
	if (r->build_log && *r->build_log) {
		fputs("\n", m);
		esc_md_block(m, r->build_log);
	}
}

static void top_md(FILE *m, const void *arg)
{
	const struct result *r = arg;

	if (r->status == RESULT_ERROR) {
		fputs("**Grading failed, and not because of your "
		      "submission.** Please tell the course staff.\n\n",
		      m);
		esc_md_block(m, r->error);
		return;
	}
	fprintf(m, "Score: %g / %g (%s, graded by ipcgrade %s).\n", r->score,
	        r->max_score, r->assignment, IPCGRADE_VERSION);
	if (r->status == RESULT_BUILD_FAILED)
		fputs("\nThe submission did not build: see the Compilation "
		      "test.\n",
		      m);
}

int format_gradescope(FILE *f, const struct result *r,
                      const struct format_options *o)
{
	json_t *tests = json_array(), *root;

	(void)o;
	if (!tests)
		return -ENOMEM;
	if (r->status != RESULT_ERROR)
		json_array_append_new(
		    tests,
		    json_pack("{s:s, s:s, s:o, s:s, s:s}", "name",
		              "Compilation", "status",
		              r->build_ok ? "passed" : "failed", "output",
		              md_string(build_md, r), "output_format", "md",
		              "visibility", "visible"));
	for (size_t i = 0; i < r->ntests; i++) {
		const struct test_outcome *t = &r->tests[i];
		char name[512];
		snprintf(name, sizeof(name), "%s: %s", t->id, t->name);
		json_array_append_new(
		    tests,
		    json_pack("{s:o, s:f, s:f, s:s, s:s, s:o, s:s, s:[s], "
		              "s:{s:s, s:s, s:f}}",
		              "name", json_bytes(name, strlen(name)), "score",
		              t->score, "max_score", t->max_score, "status",
		              t->status == TEST_PASSED ? "passed" : "failed",
		              "visibility", visibility_name(t->visibility),
		              "output", md_string(test_md, t), "output_format",
		              "md", "tags", test_status_name(t->status),
		              "extra_data", "id", t->id, "status",
		              test_status_name(t->status), "seconds",
		              t->seconds));
	}
	root = json_pack(
	    "{s:f, s:f, s:o, s:s, s:s, s:s, s:s, s:o, "
	    "s:{s:s, s:s, s:s, s:s}}",
	    "score", r->status == RESULT_GRADED ? r->score : 0.0,
	    "execution_time", r->seconds, "output", md_string(top_md, r),
	    "output_format", "md", "test_output_format", "md",
	    "test_name_format", "text", "stdout_visibility", "hidden", "tests",
	    tests, "extra_data", "schema", "ipcgrade/result/1", "status",
	    r->status == RESULT_GRADED         ? "graded"
	    : r->status == RESULT_BUILD_FAILED ? "build_failed"
	                                       : "error",
	    "assignment", r->assignment, "tier", r->tier ? r->tier : "none");
	/* What produced the score, as in the native result. */
	if (root) {
		json_t *native = result_to_json(r),
		       *x = json_object_get(root, "extra_data");
		if (native) {
			json_object_set(x, "hashes",
			                json_object_get(native, "hashes"));
			json_object_set(
			    x, "seed",
			    json_object_get(json_object_get(native, "harness"),
			                    "seed"));
			json_decref(native);
		}
	}
	return format_dump(f, root);
}
