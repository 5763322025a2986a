#include "jsonpos.h"

#include <stdio.h>
#include <string.h>

struct scan {
	const char *p;
	int line, col;
	const char *want;
	bool found;
	int fline, fcol;
};

static void adv(struct scan *s)
{
	if (*s->p == '\n') {
		s->line++;
		s->col = 1;
	} else {
		s->col++;
	}
	s->p++;
}

static void skip_ws(struct scan *s)
{
	while (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r')
		adv(s);
}

/* Copy a JSON string's raw contents (escapes kept as written; keys are
 * plain in assignment files) into buf. */
static void scan_string(struct scan *s, char *buf, size_t n)
{
	size_t k = 0;

	adv(s); /* opening quote */
	while (*s->p && *s->p != '"') {
		if (*s->p == '\\' && s->p[1]) {
			if (buf && k + 1 < n)
				buf[k++] = s->p[1];
			adv(s);
		} else if (buf && k + 1 < n) {
			buf[k++] = *s->p;
		}
		adv(s);
	}
	if (*s->p)
		adv(s);
	if (buf)
		buf[k] = '\0';
}

static void mark(struct scan *s, const char *path)
{
	if (!s->found && !strcmp(path, s->want)) {
		s->found = true;
		s->fline = s->line;
		s->fcol = s->col;
	}
}

static void scan_value(struct scan *s, char *path, size_t len, int depth)
{
	size_t base = strlen(path);

	skip_ws(s);
	if (depth > 64)
		return;
	if (*s->p == '{') {
		adv(s);
		for (;;) {
			char key[256];
			int kl, kc;
			skip_ws(s);
			if (*s->p != '"')
				break;
			kl = s->line;
			kc = s->col;
			scan_string(s, key, sizeof(key));
			snprintf(path + base, len - base, "%s%s",
			         base ? "." : "", key);
			if (!s->found && !strcmp(path, s->want)) {
				s->found = true;
				s->fline = kl;
				s->fcol = kc;
			}
			skip_ws(s);
			if (*s->p == ':')
				adv(s);
			scan_value(s, path, len, depth + 1);
			path[base] = '\0';
			skip_ws(s);
			if (*s->p != ',')
				break;
			adv(s);
		}
		if (*s->p == '}')
			adv(s);
	} else if (*s->p == '[') {
		adv(s);
		for (int i = 0;; i++) {
			skip_ws(s);
			if (*s->p == ']' || !*s->p)
				break;
			snprintf(path + base, len - base, "[%d]", i);
			mark(s, path);
			scan_value(s, path, len, depth + 1);
			path[base] = '\0';
			skip_ws(s);
			if (*s->p != ',')
				break;
			adv(s);
		}
		if (*s->p == ']')
			adv(s);
	} else if (*s->p == '"') {
		scan_string(s, NULL, 0);
	} else {
		while (*s->p && !strchr(",]} \t\r\n", *s->p))
			adv(s);
	}
}

bool jsonpos_find(const char *text, const char *path, int *line, int *col)
{
	struct scan s = { text, 1, 1, path, false, 1, 1 };
	char buf[1024] = "";

	if (!*path) {
		skip_ws(&s);
		*line = s.line;
		*col = s.col;
		return true;
	}
	scan_value(&s, buf, sizeof(buf), 0);
	if (s.found) {
		*line = s.fline;
		*col = s.fcol;
	}
	return s.found;
}
