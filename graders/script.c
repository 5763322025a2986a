#include "script.h"

#include <ctype.h>
#include <errno.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TOKS 48
#define TOK_LEN  1024

struct tok {
	char kind; /* 'w' word, '/' pattern, '"' text */
	char text[TOK_LEN];
};

/* A step in the runner's words. */
struct rstep {
	char w[MAX_TOKS][TOK_LEN];
	int n;
};

static int tokenize(const char *s, struct tok *t, int max, char *err,
                    size_t errlen)
{
	int n = 0;

	for (;;) {
		size_t k = 0;
		char close;
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			return n;
		if (n == max) {
			snprintf(err, errlen, "too many words");
			return -1;
		}
		close = *s == '/' || *s == '"' ? *s : 0;
		t[n].kind = close ? close : 'w';
		if (close)
			s++;
		while (*s &&
		       (close ? *s != close : (*s != ' ' && *s != '\t'))) {
			char c = *s++;
			if (close && c == '\\' && *s) {
				c = *s++;
				if (close == '"') {
					c = c == 'n'   ? '\n'
					    : c == 't' ? '\t'
					               : c;
				} else if (c != '/') {
					/* keep the regex escape as it is */
					if (k < TOK_LEN - 2)
						t[n].text[k++] = '\\';
				}
			}
			if (k == TOK_LEN - 1) {
				snprintf(err, errlen,
				         "a word longer than %d bytes",
				         TOK_LEN - 1);
				return -1;
			}
			t[n].text[k++] = c;
		}
		if (close && *s != close) {
			snprintf(err, errlen, "no closing %c", close);
			return -1;
		}
		if (close)
			s++;
		t[n++].text[k] = '\0';
	}
}

static void add(struct rstep *r, const char *w)
{
	if (r->n < MAX_TOKS)
		snprintf(r->w[r->n++], TOK_LEN, "%s", w);
}

static bool is_number(const char *s, long lo, long hi)
{
	char *end;
	long v;

	if (!*s)
		return false;
	errno = 0;
	v = strtol(s, &end, 10);
	return !*end && !errno && v >= lo && v <= hi;
}

/* USR1 or SIGUSR1 -> "USR1"; NULL when no such signal. */
static const char *sig_name(const char *s)
{
	if (!strncmp(s, "SIG", 3))
		s += 3;
	for (int n = 1; n < NSIG; n++) {
		const char *a = sigabbrev_np(n);
		if (a && !strcmp(a, s))
			return a;
	}
	return NULL;
}

/* The pattern compiles once {name} placeholders are filled in. */
static bool pattern_ok(const char *p, char *err, size_t errlen)
{
	char buf[TOK_LEN * 2];
	size_t n = 0;
	regex_t re;
	int e;

	for (; *p && n < sizeof(buf) - 2; p++) {
		const char *close = *p == '{' ? strchr(p, '}') : NULL;
		if (close && isalpha((unsigned char)p[1])) {
			buf[n++] = '0';
			p = close;
		} else {
			buf[n++] = *p;
		}
	}
	buf[n] = '\0';
	if ((e = regcomp(&re, buf, REG_EXTENDED))) {
		char why[128];
		regerror(e, &re, why, sizeof(why));
		snprintf(err, errlen, "bad pattern: %s", why);
		return false;
	}
	regfree(&re);
	return true;
}

/* Options after the fixed words: "within MS", "as V...", "on either",
 * "from N", "min N", "max P%". */
struct opts {
	const char *within, *from, *min, *max, *lines;
	bool either;
	const char *as[10];
	int nas;
};

static int options(struct tok *t, int i, int n, const char *allowed,
                   struct opts *o, char *err, size_t errlen)
{
	while (i < n) {
		const char *k = t[i].text;
		if (t[i].kind != 'w' || !strstr(allowed, k)) {
			snprintf(err, errlen, "unexpected \"%.60s\"", k);
			return -1;
		}
		if (!strcmp(k, "as")) {
			for (i++; i < n && o->nas < 10; i++) {
				const char *v = t[i].text;
				if (!isalpha((unsigned char)v[0])) {
					snprintf(
					    err, errlen,
					    "\"%.60s\" is not a variable name",
					    v);
					return -1;
				}
				for (const char *q = v; *q; q++)
					if (!isalnum((unsigned char)*q) &&
					    *q != '_') {
						snprintf(err, errlen,
						         "\"%.60s\" is not a "
						         "variable name",
						         v);
						return -1;
					}
				o->as[o->nas++] = v;
			}
			if (!o->nas) {
				snprintf(err, errlen, "\"as\" needs names");
				return -1;
			}
			continue;
		}
		if (!strcmp(k, "on")) {
			if (i + 1 >= n || strcmp(t[i + 1].text, "either")) {
				snprintf(err, errlen,
				         "\"on\" takes \"either\" (stdout or "
				         "stderr)");
				return -1;
			}
			o->either = true;
			i += 2;
			continue;
		}
		if (i + 1 >= n) {
			snprintf(err, errlen, "\"%.60s\" needs a value", k);
			return -1;
		}
		if (!strcmp(k, "max")) {
			size_t len = strlen(t[i + 1].text);
			static char pct[16];
			if (len < 2 || t[i + 1].text[len - 1] != '%' ||
			    len > 5) {
				snprintf(
				    err, errlen,
				    "\"max\" takes a percentage, like 10%%");
				return -1;
			}
			snprintf(pct, sizeof(pct), "%.*s", (int)len - 1,
			         t[i + 1].text);
			if (!is_number(pct, 0, 100)) {
				snprintf(
				    err, errlen,
				    "\"max\" takes a percentage, like 10%%");
				return -1;
			}
			o->max = pct;
		} else {
			const char *v = t[i + 1].text;
			long hi = !strcmp(k, "within") ? 600000 : 1000000000;
			if (!is_number(v, 0, hi)) {
				snprintf(err, errlen,
				         "\"%.60s\" takes a number (0 to %ld)",
				         k, hi);
				return -1;
			}
			*(!strcmp(k, "within")  ? &o->within
			  : !strcmp(k, "from")  ? &o->from
			  : !strcmp(k, "lines") ? &o->lines
			                        : &o->min) = v;
		}
		i += 2;
	}
	return 0;
}

static bool word_is(const struct tok *t, int i, int n, const char *w)
{
	return i < n && t[i].kind == 'w' && !strcmp(t[i].text, w);
}

/* One step as written -> the runner's words. */
static int translate(const char *src, struct rstep *r, char *err, size_t errlen)
{
	static struct tok t[MAX_TOKS];
	struct opts o = { 0 };
	const char *v, *s;
	int n = tokenize(src, t, MAX_TOKS, err, errlen);

	r->n = 0;
	if (n < 0)
		return -1;
	if (n == 0 || t[0].kind != 'w') {
		snprintf(err, errlen, "a step starts with a word");
		return -1;
	}
	v = t[0].text;
	if (!strcmp(v, "expect") || !strcmp(v, "await")) {
		if (n < 2 || t[1].kind != '/') {
			snprintf(err, errlen, "%.60s takes a /pattern/", v);
			return -1;
		}
		if (!pattern_ok(t[1].text, err, errlen) ||
		    options(t, 2, n, "within as on", &o, err, errlen))
			return -1;
		add(r, v);
		add(r, o.within ? o.within : "2000");
		add(r, o.either ? "either" : "stdout");
		add(r, t[1].text);
		for (int i = 0; i < o.nas; i++)
			add(r, o.as[i]);
		return 0;
	}
	if (!strcmp(v, "count")) {
		if (n < 4 || t[1].kind != '/' || !word_is(t, 2, n, "until") ||
		    t[3].kind != '/') {
			snprintf(err, errlen,
			         "count takes /item/ until /end/ (each item's "
			         "number in the pattern's first group)");
			return -1;
		}
		if (!pattern_ok(t[1].text, err, errlen) ||
		    !pattern_ok(t[3].text, err, errlen) ||
		    options(t, 4, n, "within from min", &o, err, errlen))
			return -1;
		add(r, "count");
		add(r, o.within ? o.within : "5000");
		add(r, o.from ? o.from : "1");
		add(r, o.min ? o.min : "0");
		add(r, t[1].text);
		add(r, t[3].text);
		return 0;
	}
	if (!strcmp(v, "defer") && n == 2 && t[1].kind == '/') {
		if (!pattern_ok(t[1].text, err, errlen))
			return -1;
		add(r, "defer");
		add(r, t[1].text);
		return 0;
	}
	if (!strcmp(v, "burst")) {
		if (n < 3 || !(s = sig_name(t[1].text)) ||
		    !is_number(t[2].text, 1, 1000000)) {
			snprintf(err, errlen,
			         "burst takes a signal name and a count (1 to "
			         "1000000)");
			return -1;
		}
		if (options(t, 3, n, "lines within", &o, err, errlen))
			return -1;
		add(r, v);
		add(r, s);
		add(r, t[2].text);
		add(r, o.lines ? o.lines : "0");
		add(r, o.within ? o.within : "5000");
		return 0;
	}
	if (!strcmp(v, "kill") || !strcmp(v, "send") || !strcmp(v, "race") ||
	    !strcmp(v, "blocked")) {
		if (n != 2 || !(s = sig_name(t[1].text))) {
			snprintf(err, errlen, "%.60s takes a signal name", v);
			return -1;
		}
		add(r, v);
		add(r, s);
		return 0;
	}
	if (!strcmp(v, "write") && n == 2 && t[1].kind == '"') {
		add(r, "write");
		add(r, t[1].text);
		return 0;
	}
	if (!strcmp(v, "close") && word_is(t, 1, n, "stdin") && n == 2) {
		add(r, "close");
		return 0;
	}
	if ((!strcmp(v, "stop") || !strcmp(v, "cont") || !strcmp(v, "alive")) &&
	    n == 1) {
		add(r, v);
		return 0;
	}
	if (!strcmp(v, "children") && word_is(t, 1, n, "exited")) {
		if (options(t, 2, n, "within", &o, err, errlen))
			return -1;
		add(r, "children");
		add(r, o.within ? o.within : "2000");
		return 0;
	}
	if (!strcmp(v, "exited") && n >= 2 && t[1].kind == 'w' &&
	    (is_number(t[1].text, 1, 1 << 30) ||
	     (t[1].text[0] == '{' &&
	      t[1].text[strlen(t[1].text) - 1] == '}'))) {
		if (options(t, 2, n, "within", &o, err, errlen))
			return -1;
		add(r, "gone");
		add(r, t[1].text);
		add(r, o.within ? o.within : "2000");
		return 0;
	}
	if (!strcmp(v, "no") && word_is(t, 1, n, "zombies")) {
		if (options(t, 2, n, "within", &o, err, errlen))
			return -1;
		add(r, "zombies");
		add(r, o.within ? o.within : "1000");
		return 0;
	}
	if (!strcmp(v, "no") && word_is(t, 1, n, "orphans") && n == 2) {
		add(r, "orphans");
		return 0;
	}
	if (!strcmp(v, "exit") && n >= 2 && is_number(t[1].text, 0, 255)) {
		if (options(t, 2, n, "within", &o, err, errlen))
			return -1;
		add(r, "exit");
		add(r, t[1].text);
		add(r, o.within ? o.within : "2000");
		return 0;
	}
	if (!strcmp(v, "idle") && n >= 2 && is_number(t[1].text, 1, 60000)) {
		if (options(t, 2, n, "max", &o, err, errlen))
			return -1;
		add(r, "idle");
		add(r, t[1].text);
		add(r, o.max ? o.max : "10");
		return 0;
	}
	if (!strcmp(v, "handlers") && n == 2 &&
	    (word_is(t, 1, n, "safe") || word_is(t, 1, n, "nonblocking"))) {
		add(r, "handlers");
		add(r, !strcmp(t[1].text, "safe") ? "unsafe" : "blocking");
		return 0;
	}
	if (!strcmp(v, "sleep") && n == 2 && is_number(t[1].text, 0, 60000)) {
		add(r, "sleep");
		add(r, t[1].text);
		return 0;
	}
	snprintf(err, errlen, "unknown step \"%.100s\"", src);
	return -1;
}

/* s with every {i} replaced by i. */
static char *fill(const char *s, long i)
{
	char num[24], *out;
	size_t n = 0, cap;

	snprintf(num, sizeof(num), "%ld", i);
	cap = strlen(s) * (strlen(num) + 1) + 1;
	if (!(out = malloc(cap)))
		return NULL;
	while (*s) {
		if (!strncmp(s, "{i}", 3) && i > 0) {
			memcpy(out + n, num, strlen(num));
			n += strlen(num);
			s += 3;
		} else {
			out[n++] = *s++;
		}
	}
	out[n] = '\0';
	return out;
}

/* The walk both functions share: every step in order, repeats unrolled.
 * visit() gets the step text ({i} filled in) and its JSON path; an
 * any_order group comes as its patterns, one call with group set. */
struct walk {
	int (*step)(struct walk *w, const char *text, const char *path);
	int (*group)(struct walk *w, char **patterns, size_t n, long ms,
	             const char *path);
	struct jcheck *c;
	struct script *s;
	size_t count;
};

static int walk_list(struct walk *w, json_t *steps, const char *path, long i,
                     char **group, size_t *ngroup);

static int walk_one(struct walk *w, json_t *v, const char *path, long i,
                    char **group, size_t *ngroup)
{
	static const char *const repeat_keys[] = { "repeat", "do", NULL };
	static const char *const group_keys[] = { "any_order", "within", NULL };
	char p[512], err[256];
	int e;

	if (json_is_string(v)) {
		char *text = fill(json_string_value(v), i);
		struct rstep r;
		if (!text)
			return -ENOMEM;
		if (++w->count > SCRIPT_MAX_STEPS) {
			free(text);
			return w->c ? jcheck_fail(w->c, path,
			                          "more than %d steps once "
			                          "repeats are unrolled",
			                          SCRIPT_MAX_STEPS)
			            : -EINVAL;
		}
		if (group) {
			if (translate(text, &r, err, sizeof(err)) ||
			    strcmp(r.w[0], "expect") || r.n != 4) {
				free(text);
				return w->c ? jcheck_fail(w->c, path,
				                          "any_order holds "
				                          "plain expect "
				                          "/pattern/ steps")
				            : -EINVAL;
			}
			free(text);
			if (*ngroup == MAX_TOKS - 2)
				return w->c ? jcheck_fail(w->c, path,
				                          "any_order holds "
				                          "at most %d lines",
				                          MAX_TOKS - 2)
				            : -EINVAL;
			if (!(group[(*ngroup)++] = strdup(r.w[3])))
				return -ENOMEM;
			return 0;
		}
		e = w->step(w, text, path);
		free(text);
		return e;
	}
	if (json_is_object(v) && json_object_get(v, "repeat")) {
		double n;
		json_t *body;
		if (w->c && ((e = jcheck_object(w->c, v, path, repeat_keys)) ||
		             (e = jcheck_number(w->c, v, path, "repeat", 1,
		                                10000, &n))))
			return e;
		n = json_number_value(json_object_get(v, "repeat"));
		body = json_object_get(v, "do");
		jcheck_join(p, sizeof(p), path, "do");
		if (!json_is_array(body))
			return w->c ? jcheck_fail(w->c, path,
			                          "a repeat needs \"do\": "
			                          "[steps]")
			            : -EINVAL;
		for (long k = 1; k <= (long)n; k++)
			if ((e = walk_list(w, body, p, k, group, ngroup)))
				return e;
		return 0;
	}
	if (json_is_object(v) && json_object_get(v, "any_order") && !group) {
		char *pats[MAX_TOKS];
		size_t np = 0;
		double ms = 2000;
		json_t *body = json_object_get(v, "any_order");
		if (w->c && ((e = jcheck_object(w->c, v, path, group_keys)) ||
		             (e = jcheck_number(w->c, v, path, "within", 0,
		                                600000, &ms))))
			return e;
		if (json_object_get(v, "within"))
			ms = json_number_value(json_object_get(v, "within"));
		jcheck_join(p, sizeof(p), path, "any_order");
		if (!json_is_array(body) || !json_array_size(body))
			return w->c ? jcheck_fail(w->c, p,
			                          "must be a list of expect "
			                          "steps")
			            : -EINVAL;
		e = walk_list(w, body, p, i, pats, &np);
		if (!e)
			e = w->group ? w->group(w, pats, np, (long)ms, path)
			             : 0;
		for (size_t k = 0; k < np; k++)
			free(pats[k]);
		return e;
	}
	return w->c ? jcheck_fail(w->c, path,
	                          "a step is a string, {\"repeat\": N, "
	                          "\"do\": [...]} or {\"any_order\": "
	                          "[...]}")
	            : -EINVAL;
}

static int walk_list(struct walk *w, json_t *steps, const char *path, long i,
                     char **group, size_t *ngroup)
{
	size_t k;
	json_t *v;
	int e;

	json_array_foreach (steps, k, v) {
		char p[512];
		jcheck_index(p, sizeof(p), path, k);
		if ((e = walk_one(w, v, p, i, group, ngroup)))
			return e;
	}
	return 0;
}

static int check_step(struct walk *w, const char *text, const char *path)
{
	struct rstep r;
	char err[256];

	if (translate(text, &r, err, sizeof(err)))
		return jcheck_fail(w->c, path, "%s", err);
	return 0;
}

int script_check(struct jcheck *c, json_t *steps, const char *path)
{
	struct walk w = { .step = check_step, .c = c };

	if (!json_is_array(steps) || !json_array_size(steps))
		return jcheck_fail(c, path, "must be a list of steps");
	return walk_list(&w, steps, path, 0, NULL, NULL);
}

static int emit(struct script *s, struct rstep *r, const char *desc)
{
	const char *argv[MAX_TOKS + 1];
	char head[32];
	char **d = realloc(s->desc, (s->n + 1) * sizeof(*d));

	if (!d)
		return -ENOMEM;
	s->desc = d;
	if (!(d[s->n] = strdup(desc)))
		return -ENOMEM;
	snprintf(head, sizeof(head), "step %zu", s->n++);
	for (int k = 0; k < r->n; k++)
		argv[k] = r->w[k];
	argv[r->n] = NULL;
	plan_argv(&s->plan, head, argv);
	/* The race is the kernel's (the runner's listener): no library. */
	if (!strcmp(r->w[0], "handlers"))
		s->probe = true;
	return s->plan.failed ? -ENOMEM : 0;
}

static int expand_step(struct walk *w, const char *text, const char *path)
{
	struct rstep r;
	char err[256];

	(void)path;
	if (translate(text, &r, err, sizeof(err)))
		return -EINVAL;
	return emit(w->s, &r, text);
}

static int expand_group(struct walk *w, char **patterns, size_t n, long ms,
                        const char *path)
{
	static struct rstep r;
	char desc[160];

	(void)path;
	r.n = 0;
	add(&r, "group");
	snprintf(r.w[r.n++], TOK_LEN, "%ld", ms);
	for (size_t k = 0; k < n; k++)
		add(&r, patterns[k]);
	snprintf(desc, sizeof(desc), "any_order: %zu lines such as /%.80s/", n,
	         patterns[0]);
	return emit(w->s, &r, desc);
}

int script_expand(json_t *steps, struct script *s)
{
	struct walk w = { .step = expand_step, .group = expand_group, .s = s };

	memset(s, 0, sizeof(*s));
	plan_init(&s->plan);
	return walk_list(&w, steps, "script", 0, NULL, NULL);
}

void script_release(struct script *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->desc[i]);
	free(s->desc);
	plan_release(&s->plan);
	memset(s, 0, sizeof(*s));
}
