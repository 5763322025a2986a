/*
 * io.c - the `io` driver: run the student's program and the reference the
 * same way (arguments, stdin, files) and compare stdout, stderr and exit.
 *
 * Test keys: "args" [strings], "stdin" string (repeated up to
 * "stdin_repeat" bytes when given), "files" {name: text},
 * "compare" {"stdout": "exact" | "trailing-ws" | "ignore" | "regex:RE",
 * "stderr": "ignore" | "nonempty" | "exact" | "trailing-ws",
 * "exit": "same" | "nonzero" | "ignore" | N}.
 */
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io.h"

#include "driver.h"
#include "run.h"
#include "utf8.h"

const char *const io_keys[] = { "args",  "stdin",   "stdin_repeat",
	                        "files", "compare", NULL };

static bool is_mode(const char *s, const char *const *modes)
{
	for (; *modes; modes++)
		if (!strcmp(s, *modes))
			return true;
	return false;
}

int io_check(struct jcheck *c, json_t *t, const char *path)
{
	static const char *const cmp_keys[] = { "stdout", "stderr", "exit",
		                                NULL };
	static const char *const out_modes[] = { "exact", "trailing-ws",
		                                 "ignore", NULL };
	static const char *const err_modes[] = { "ignore", "nonempty", "exact",
		                                 "trailing-ws", NULL };
	const char *s, *name;
	json_t *v, *cmp;
	char p[256], q[300];
	int err;

	double rep = 0;

	if ((err = jcheck_strings(c, t, path, "args", false, &v)) ||
	    (err = jcheck_string(c, t, path, "stdin", false, &s)) ||
	    (err =
	         jcheck_number(c, t, path, "stdin_repeat", 1, 64 << 20, &rep)))
		return err;
	if (rep && (!s || !*s)) {
		jcheck_join(p, sizeof(p), path, "stdin_repeat");
		return jcheck_fail(c, p,
		                   "needs a non-empty \"stdin\" to repeat");
	}
	v = json_object_get(t, "files");
	jcheck_join(p, sizeof(p), path, "files");
	if (v && !json_is_object(v))
		return jcheck_fail(c, p,
		                   "must be an object of file names and "
		                   "contents");
	json_object_foreach (v, name, cmp) {
		jcheck_join(q, sizeof(q), p, name);
		if (!json_is_string(cmp))
			return jcheck_fail(c, q, "must be a string");
		if (strchr(name, '/') || !strcmp(name, ".") ||
		    !strcmp(name, "..") || !*name)
			return jcheck_fail(c, q, "must be a plain file name");
	}
	cmp = json_object_get(t, "compare");
	if (!cmp)
		return 0;
	jcheck_join(p, sizeof(p), path, "compare");
	if ((err = jcheck_object(c, cmp, p, cmp_keys)) ||
	    (err = jcheck_string(c, cmp, p, "stdout", false, &s)))
		return err;
	if (s && !strncmp(s, "regex:", 6)) {
		regex_t re;
		jcheck_join(q, sizeof(q), p, "stdout");
		if (regcomp(&re, s + 6, REG_EXTENDED | REG_NOSUB | REG_NEWLINE))
			return jcheck_fail(c, q, "bad regular expression '%s'",
			                   s + 6);
		regfree(&re);
	} else if (s && !is_mode(s, out_modes)) {
		jcheck_join(q, sizeof(q), p, "stdout");
		return jcheck_fail(c, q,
		                   "'%s' is not exact, trailing-ws, "
		                   "ignore or regex:RE",
		                   s);
	}
	if ((err = jcheck_string(c, cmp, p, "stderr", false, &s)))
		return err;
	if (s && !is_mode(s, err_modes)) {
		jcheck_join(q, sizeof(q), p, "stderr");
		return jcheck_fail(c, q,
		                   "'%s' is not ignore, nonempty, exact or "
		                   "trailing-ws",
		                   s);
	}
	v = json_object_get(cmp, "exit");
	jcheck_join(q, sizeof(q), p, "exit");
	if (v && !json_is_integer(v) &&
	    !(json_is_string(v) &&
	      is_mode(
	          json_string_value(v),
	          (const char *const[]){ "same", "nonzero", "ignore", NULL })))
		return jcheck_fail(c, q,
		                   "must be same, nonzero, ignore or an "
		                   "exit code");
	return 0;
}

/* Length of s without trailing blanks on each line and trailing blank
 * lines, written compactly into a new buffer. */
static char *strip_trailing(const char *s, size_t n, size_t *out)
{
	char *r = malloc(n + 1), *o = r;
	size_t line = 0;

	if (!r)
		return NULL;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == '\n') {
			size_t end = i;
			while (end > line &&
			       (s[end - 1] == ' ' || s[end - 1] == '\t' ||
			        s[end - 1] == '\r'))
				end--;
			memcpy(o, s + line, end - line);
			o += end - line;
			if (i < n)
				*o++ = '\n';
			line = i + 1;
		}
	}
	while (o > r && o[-1] == '\n')
		o--;
	*o = '\0';
	*out = o - r;
	return r;
}

/* A line as a reader should see it: control bytes spelled \xNN (a NUL
 * would cut the text, an escape sequence would drive the terminal), and
 * valid UTF-8. New string; caller frees. */
char *io_visible(const char *s, size_t n)
{
	char *esc = malloc(4 * n + 1), *o = esc, *r;

	if (!esc)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			o += sprintf(o, "\\x%02x", c);
		else
			*o++ = c;
	}
	r = utf8_sanitize(esc, o - esc, NULL);
	free(esc);
	return r;
}

/* Where two outputs first differ, for the student: line number and both
 * lines (sanitized, cut). */
static void describe_diff(char *buf, size_t n, const char *want, size_t wl,
                          const char *got, size_t gl)
{
	size_t i = 0, line = 1, ls = 0;
	char *a, *b;
	size_t ae, be;

	while (i < wl && i < gl && want[i] == got[i]) {
		if (want[i] == '\n') {
			line++;
			ls = i + 1;
		}
		i++;
	}
	ae = ls;
	while (ae < wl && want[ae] != '\n' && ae - ls < 120)
		ae++;
	be = ls;
	while (be < gl && got[be] != '\n' && be - ls < 120)
		be++;
	a = io_visible(want + ls, ae - ls);
	b = io_visible(got + ls, be - ls);
	snprintf(
	    buf, n,
	    "first difference on line %zu:\n  expected: %s%s%s\n  got:      "
	    "%s%s%s\n(expected %zu bytes in all, got %zu)",
	    line, ls >= wl ? "(end of output)" : "'",
	    ls >= wl ? "" : (a ? a : ""), ls >= wl ? "" : "'",
	    ls >= gl ? "(end of output)" : "'", ls >= gl ? "" : (b ? b : ""),
	    ls >= gl ? "" : "'", wl, gl);
	free(a);
	free(b);
}

static bool same_text(const char *mode, const struct capture *want,
                      const struct capture *got, char *diff, size_t dn)
{
	const char *w = want->data ? want->data : "",
	           *g = got->data ? got->data : "";
	size_t wl = want->len, gl = got->len;
	char *ws = NULL, *gs = NULL;
	bool same;

	if (!strcmp(mode, "trailing-ws")) {
		ws = strip_trailing(w, wl, &wl);
		gs = strip_trailing(g, gl, &gl);
		if (!ws || !gs) {
			free(ws);
			free(gs);
			return false;
		}
		w = ws;
		g = gs;
	}
	same = wl == gl && !memcmp(w, g, wl) && want->total == got->total;
	if (!same)
		describe_diff(diff, dn, w, wl, g, gl);
	free(ws);
	free(gs);
	return same;
}

static const char *mode_of(json_t *t, const char *key, const char *dflt)
{
	const char *s = json_string_value(
	    json_object_get(json_object_get(t, "compare"), key));
	return s ? s : dflt;
}

int io_input(json_t *p, const char **in, size_t *in_len, char **big)
{
	size_t rep =
	    (size_t)json_number_value(json_object_get(p, "stdin_repeat"));

	*big = NULL;
	*in = json_string_value(json_object_get(p, "stdin"));
	*in_len = *in ? json_string_length(json_object_get(p, "stdin")) : 0;
	if (rep && *in_len) {
		/* A large input made from a short pattern. */
		*big = malloc(rep);
		if (!*big)
			return -ENOMEM;
		for (size_t i = 0; i < rep; i++)
			(*big)[i] = (*in)[i % *in_len];
		*in = *big;
		*in_len = rep;
	}
	return 0;
}

static bool io_needs_reference(json_t *p)
{
	const char *out_mode = mode_of(p, "stdout", "exact"),
	           *err_mode = mode_of(p, "stderr", "ignore");
	json_t *exit_mode =
	    json_object_get(json_object_get(p, "compare"), "exit");

	return (strcmp(out_mode, "ignore") && strncmp(out_mode, "regex:", 6)) ||
	       !strcmp(err_mode, "exact") || !strcmp(err_mode, "trailing-ws") ||
	       !exit_mode ||
	       (json_is_string(exit_mode) &&
	        !strcmp(json_string_value(exit_mode), "same"));
}

static void io_judge(json_t *p, const struct sandbox_result *st,
                     const struct sandbox_result *ref, struct test_outcome *out)
{
	json_t *exit_mode =
	    json_object_get(json_object_get(p, "compare"), "exit");
	const char *out_mode = mode_of(p, "stdout", "exact"),
	           *err_mode = mode_of(p, "stderr", "ignore");
	char diff[1024] = "";

	out->status = TEST_FAILED;
	/* Exit status first: it is what students most often get wrong. */
	if (!exit_mode || (json_is_string(exit_mode) &&
	                   !strcmp(json_string_value(exit_mode), "same"))) {
		if (st->exit_code != ref->exit_code) {
			test_outcome_message(out, "exit status %d, expected %d",
			                     st->exit_code, ref->exit_code);
			return;
		}
	} else if (json_is_integer(exit_mode)) {
		if (st->exit_code != json_integer_value(exit_mode)) {
			test_outcome_message(
			    out, "exit status %d, expected %d", st->exit_code,
			    (int)json_integer_value(exit_mode));
			return;
		}
	} else if (!strcmp(json_string_value(exit_mode), "nonzero") &&
	           st->exit_code == 0) {
		test_outcome_message(out, "exit status 0, expected a failure "
		                          "status");
		return;
	}
	if (!strncmp(out_mode, "regex:", 6)) {
		regex_t re;
		bool ok =
		    !regcomp(&re, out_mode + 6,
		             REG_EXTENDED | REG_NOSUB | REG_NEWLINE) &&
		    !regexec(&re, st->out.data ? st->out.data : "", 0, NULL, 0);
		regfree(&re);
		if (!ok) {
			test_outcome_message(out, "stdout does not match /%s/",
			                     out_mode + 6);
			return;
		}
	} else if (strcmp(out_mode, "ignore") &&
	           !same_text(out_mode, &ref->out, &st->out, diff,
	                      sizeof(diff))) {
		test_outcome_message(out, "stdout differs from the reference");
		test_outcome_output(out, "%s", diff);
		return;
	}
	if (!strcmp(err_mode, "nonempty") && st->err.total == 0) {
		test_outcome_message(out, "nothing was printed on stderr");
		return;
	}
	if ((!strcmp(err_mode, "exact") || !strcmp(err_mode, "trailing-ws")) &&
	    !same_text(err_mode, &ref->err, &st->err, diff, sizeof(diff))) {
		test_outcome_message(out, "stderr differs from the reference");
		test_outcome_output(out, "%s", diff);
		return;
	}
	out->status = TEST_PASSED;
}

static int io_run_reference(const struct grade_ctx *g,
                            const struct test_spec *t, const struct run_opts *o,
                            struct sandbox_result *ref,
                            struct test_outcome *out)
{
	struct run_opts ro = *o;
	int err;

	ro.tick = o->ref_tick;
	ro.tick_arg = o->ref_tick_arg;
	if ((err = run_program(g, t, RUN_REFERENCE, &ro, ref)))
		return err;
	if (ref->status != SANDBOX_EXITED) {
		out->status = TEST_ERROR;
		test_outcome_message(out,
		                     "the reference solution failed this "
		                     "test: %s",
		                     ref->message);
	}
	return 0;
}

int io_verdict(const struct grade_ctx *g, const struct test_spec *t,
               const struct run_opts *o, const struct sandbox_result *st,
               struct test_outcome *out)
{
	struct sandbox_result ref = { 0 };
	int err = 0;

	out->status = run_status(st);
	if (out->status != TEST_PASSED) {
		test_outcome_message(out, "%s", st->message);
		return 0;
	}
	if (io_needs_reference(t->params) &&
	    ((err = io_run_reference(g, t, o, &ref, out)) ||
	     out->status == TEST_ERROR))
		goto out;
	io_judge(t->params, st, &ref, out);
out:
	sandbox_result_release(&ref);
	return err;
}

bool io_stderr_ungraded(json_t *p)
{
	return !strcmp(mode_of(p, "stderr", "ignore"), "ignore");
}

static int io_run(const struct grade_ctx *g, const struct test_spec *t,
                  struct test_outcome *out)
{
	json_t *p = t->params;
	struct run_opts o = { .args = json_object_get(p, "args"),
		              .files = json_object_get(p, "files"),
		              .stderr_chatter = io_stderr_ungraded(p) };
	struct sandbox_result st = { 0 };
	char *big = NULL;
	int err;

	if (!(err = io_input(p, &o.in, &o.in_len, &big)) &&
	    !(err = run_program(g, t, RUN_STUDENT, &o, &st)))
		err = io_verdict(g, t, &o, &st, out);
	sandbox_result_release(&st);
	free(big);
	return err;
}

const struct driver io_driver = {
	.kind = "io",
	.keys = io_keys,
	.check = io_check,
	.run = io_run,
};
