#include "format.h"

#include <errno.h>
#include <string.h>

#include "report.h"

static const struct format formats[] = {
	{ "json", "the native result (ipcgrade/result/1)", format_json },
	{ "text", "the human report", format_text },
	{ "gradescope", "Gradescope results.json", format_gradescope },
	{ "prairielearn", "PrairieLearn results.json", format_prairielearn },
	{ "autolab", "Autolab feedback and autoresult line", format_autolab },
	{ "github", "GitHub Actions annotations, summary, Classroom result",
	  format_github },
	{ "junit", "JUnit XML (GitLab, CI test reports)", format_junit },
	{ "tap", "TAP version 13 (prove)", format_tap },
};

const struct format *format_lookup(const char *name)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(*formats); i++)
		if (!strcmp(name, formats[i].name))
			return &formats[i];
	return NULL;
}

const char *format_names(void)
{
	return "json, text, gradescope, prairielearn, autolab, github, junit, "
	       "tap";
}

int format_write(const struct format *fmt, FILE *f, const struct result *r,
                 const struct format_options *o)
{
	static const struct format_options none = { 0 };
	int err = fmt->write(f, r, o ? o : &none);

	if (fflush(f) == EOF || ferror(f))
		return err ? err : -EIO;
	return err;
}

bool format_shows_details(const struct test_outcome *t)
{
	return t->visibility == VIS_VISIBLE;
}

int format_dump(FILE *f, json_t *j)
{
	int err;

	if (!j)
		return -ENOMEM;
	err = json_dumpf(j, f, JSON_INDENT(2) | JSON_ENSURE_ASCII) ? -EIO : 0;
	fputc('\n', f);
	json_decref(j);
	return err;
}

int format_json(FILE *f, const struct result *r, const struct format_options *o)
{
	(void)o;
	return format_dump(f, result_to_json(r));
}

int format_text(FILE *f, const struct result *r, const struct format_options *o)
{
	report_text(f, r, o->color, o->student);
	return 0;
}
