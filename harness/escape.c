#include "escape.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

static char *valid(const char *s, size_t *n)
{
	return utf8_sanitize(s ? s : "", s ? strlen(s) : 0, n);
}

char *esc_clean(const char *s)
{
	size_t n, k = 0;
	char *v = valid(s, &n), *out;

	if (!v)
		return NULL;
	out = malloc(4 * n + 1);
	if (out)
		for (size_t i = 0; i < n; i++) {
			unsigned char c = v[i];
			if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
				k += sprintf(out + k, "\\x%02x", c);
			else
				out[k++] = c;
		}
	if (out)
		out[k] = '\0';
	free(v);
	return out;
}

void esc_xml(FILE *f, const char *s, bool attr)
{
	size_t n;
	char *v = valid(s, &n);

	if (!v)
		return;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = v[i];
		switch (c) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs(attr ? "&quot;" : "\"", f);
			break;
		case '\'':
			fputs(attr ? "&apos;" : "'", f);
			break;
		case '\t':
		case '\n':
		case '\r':
			/* Attribute values are normalised to spaces unless
			 * written as references; text keeps \t and \n, and \r
			 * as a reference survives line-end normalisation. */
			if (attr || c == '\r')
				fprintf(f, "&#%d;", c);
			else
				fputc(c, f);
			break;
		default:
			if (c < 0x20)
				fprintf(f, "\\x%02x", c);
			else if (c == 0xef && i + 2 < n &&
			         (unsigned char)v[i + 1] == 0xbf &&
			         ((unsigned char)v[i + 2] == 0xbe ||
			          (unsigned char)v[i + 2] == 0xbf)) {
				/* U+FFFE, U+FFFF: not XML characters. */
				fputs("\xef\xbf\xbd", f);
				i += 2;
			} else
				fputc(c, f);
		}
	}
	free(v);
}

void esc_md_inline(FILE *f, const char *s)
{
	char *v = esc_clean(s);

	if (!v)
		return;
	for (const char *p = v; *p; p++) {
		unsigned char c = *p;
		if (c == '\n' || c == '\t')
			fputc(' ', f);
		else if (c && strchr("\\`*_[]<>&|~!$#", c))
			fprintf(f, "\\%c", c);
		else
			fputc(c, f);
	}
	free(v);
}

void esc_md_block(FILE *f, const char *s)
{
	char *v = esc_clean(s);
	size_t run = 0, longest = 0, n;

	if (!v)
		return;
	for (const char *p = v; *p; p++) {
		run = *p == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	n = longest < 3 ? 3 : longest + 1;
	for (size_t i = 0; i < n; i++)
		fputc('`', f);
	fputs("text\n", f);
	fputs(v, f);
	if (!*v || v[strlen(v) - 1] != '\n')
		fputc('\n', f);
	for (size_t i = 0; i < n; i++)
		fputc('`', f);
	fputc('\n', f);
	free(v);
}

void esc_yaml(FILE *f, const char *s)
{
	size_t n;
	char *v = valid(s, &n);

	if (!v)
		return;
	fputc('"', f);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = v[i];
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\x%02x", c);
		else if (c == 0xc2 && i + 1 < n &&
		         (unsigned char)v[i + 1] <= 0x9f) {
			/* C1 controls (NEL is a YAML line break). */
			fprintf(f, "\\x%02x", (unsigned char)v[i + 1]);
			i++;
		} else if (c == 0xe2 && i + 2 < n &&
		           (unsigned char)v[i + 1] == 0x80 &&
		           ((unsigned char)v[i + 2] == 0xa8 ||
		            (unsigned char)v[i + 2] == 0xa9)) {
			/* U+2028, U+2029: YAML line breaks too. */
			fprintf(f, "\\u%04x", 0x2000 + (unsigned char)v[i + 2]);
			i += 2;
		} else
			fputc(c, f);
	}
	fputc('"', f);
	free(v);
}

void esc_gh_data(FILE *f, const char *s, bool prop)
{
	size_t n;
	char *v = valid(s, &n);

	if (!v)
		return;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = v[i];
		if (c == '%')
			fputs("%25", f);
		else if (c == '\r')
			fputs("%0D", f);
		else if (c == '\n')
			fputs("%0A", f);
		else if (prop && c == ':')
			fputs("%3A", f);
		else if (prop && c == ',')
			fputs("%2C", f);
		else if ((c < 0x20 && c != '\t') || c == 0x7f)
			fprintf(f, "\\x%02x", c);
		else if (c == '#' && i + 2 < n && v[i + 1] == '#' &&
		         v[i + 2] == '[') {
			/* The runner's older syntax, just in case. */
			fputs("##\\", f);
			i++;
		} else
			fputc(c, f);
	}
	free(v);
}

void esc_gh_lines(FILE *f, const char *s, const char *prefix)
{
	char *v = esc_clean(s), *line, *next;

	if (!v)
		return;
	for (line = v; *line; line = next) {
		const char *p = line + strspn(line, " \t");
		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = '\0';
		fputs(prefix, f);
		for (const char *q = line; *q; q++) {
			if (q == p && p[0] == ':' && p[1] == ':')
				fputc('\\', f);
			/* The runner's older syntax matches anywhere. */
			if (q[0] == '#' && q[1] == '#' && q[2] == '[') {
				fputs("##\\", f);
				q++;
				continue;
			}
			fputc(*q, f);
		}
		fputc('\n', f);
	}
	free(v);
}
