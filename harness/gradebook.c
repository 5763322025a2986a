#include "gradebook.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HISTOGRAM_BINS 10
#define SLOWEST        5

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

long gradebook_scan(const char *dir,
                    char *(*keep)(const char *dir, const char *name),
                    char ***names)
{
	struct dirent *e;
	char **v = NULL;
	long n = 0, cap = 0;
	DIR *d;

	*names = NULL;
	if (!(d = opendir(dir)))
		return -errno;
	while ((e = readdir(d))) {
		char *name;
		if (e->d_name[0] == '.' || !(name = keep(dir, e->d_name)))
			continue;
		if (n == cap) {
			char **nv =
			    realloc(v, (cap = cap ? 2 * cap : 64) * sizeof(*v));
			if (!nv) {
				free(name);
				goto nomem;
			}
			v = nv;
		}
		v[n++] = name;
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), cmp_str);
	*names = v;
	return n;
nomem:
	closedir(d);
	gradebook_free_names(v, n);
	return -ENOMEM;
}

/* "NAME.json" -> "NAME" */
static char *result_name(const char *dir, const char *name)
{
	size_t l = strlen(name);

	(void)dir;
	if (l <= 5 || strcmp(name + l - 5, ".json"))
		return NULL;
	return strndup(name, l - 5);
}

long gradebook_list(const char *outdir, char ***names)
{
	char path[4096];
	long n;

	snprintf(path, sizeof(path), "%s/results", outdir);
	n = gradebook_scan(path, result_name, names);
	return n == -ENOENT ? 0 : n;
}

void gradebook_free_names(char **names, long n)
{
	for (long i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

int gradebook_write_atomic(const char *path, const char *data, size_t len)
{
	char *tmp;
	int fd, err = 0;

	/* A dot name: never taken for a result by gradebook_list(). */
	const char *slash = strrchr(path, '/');
	if (asprintf(&tmp, "%.*s.%s.tmp-%d",
	             slash ? (int)(slash - path + 1) : 0, path,
	             slash ? slash + 1 : path, (int)getpid()) < 0)
		return -ENOMEM;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	          0644);
	if (fd < 0) {
		err = -errno;
		goto out;
	}
	for (size_t off = 0; off < len;) {
		ssize_t k = write(fd, data + off, len - off);
		if (k < 0) {
			err = -errno;
			break;
		}
		off += k;
	}
	if (close(fd) < 0 && !err)
		err = -errno;
	if (!err && rename(tmp, path) < 0)
		err = -errno;
	if (err)
		unlink(tmp);
out:
	free(tmp);
	return err;
}

int gradebook_write_json(const char *path, const json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_ENSURE_ASCII |
	                            JSON_REAL_PRECISION(12));
	int err;

	if (!s)
		return -ENOMEM;
	/* Files end with a newline, as `ipcgrade grade` writes them. */
	size_t n = strlen(s);
	char *t = realloc(s, n + 2);
	if (!t) {
		free(s);
		return -ENOMEM;
	}
	t[n] = '\n';
	t[n + 1] = '\0';
	err = gradebook_write_atomic(path, t, n + 1);
	free(t);
	return err;
}

/* A CSV field (RFC 4180): quoted when it needs to be; a leading = + - @
 * is prefixed with ' so that no spreadsheet runs it as a formula. */
static void csv_field(FILE *f, const char *s)
{
	bool quote = strpbrk(s, ",\"\r\n") != NULL;

	if (quote)
		fputc('"', f);
	if (strchr("=+-@\t\r", s[0]) && s[0])
		fputc('\'', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	if (quote)
		fputc('"', f);
}

/* Four decimals: enough for grades, and the same bytes every time. */
static double round4(double x)
{
	return (double)(long long)(x * 1e4 + (x < 0 ? -0.5 : 0.5)) / 1e4;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

struct entry {
	const char *name;
	json_t *r;
	double seconds;
};

static int cmp_slow(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	if (x->seconds != y->seconds)
		return x->seconds < y->seconds ? 1 : -1;
	return strcmp(x->name, y->name);
}

static json_t *summary(const char *assignment, struct entry *e, long n,
                       json_t *ids)
{
	json_t *s, *hist = json_array(), *tests = json_array(),
	           *slow = json_array(), *id;
	double *scores = calloc(n ? n : 1, sizeof(*scores)), max = 0, sum = 0,
	       median = 0;
	long graded = 0, built = 0, failed_build = 0, errors = 0;
	size_t i;

	if (!scores || !hist || !tests || !slow)
		goto fail;
	for (long k = 0; k < n; k++) {
		const char *st =
		    json_string_value(json_object_get(e[k].r, "status"));
		double m =
		    json_number_value(json_object_get(e[k].r, "max_score"));
		if (m > max)
			max = m;
		if (st && !strcmp(st, "error")) {
			errors++;
			continue;
		}
		if (st && !strcmp(st, "build_failed"))
			failed_build++;
		else
			built++;
		scores[graded] =
		    json_number_value(json_object_get(e[k].r, "score"));
		sum += scores[graded++];
	}
	qsort(scores, graded, sizeof(*scores), cmp_double);
	if (graded)
		median =
		    graded % 2
		        ? scores[graded / 2]
		        : (scores[graded / 2 - 1] + scores[graded / 2]) / 2;
	for (int b = 0; b < HISTOGRAM_BINS; b++) {
		double lo = max * b / HISTOGRAM_BINS,
		       hi = max * (b + 1) / HISTOGRAM_BINS;
		long c = 0;
		for (long k = 0; k < graded; k++)
			if (scores[k] >= lo &&
			    (scores[k] < hi ||
			     (b == HISTOGRAM_BINS - 1 && scores[k] <= hi)))
				c++;
		json_array_append_new(
		    hist, json_pack("{s:f, s:f, s:I}", "from", round4(lo), "to",
		                    round4(hi), "count", (json_int_t)c));
	}
	json_array_foreach (ids, i, id) {
		long passed = 0, count = 0;
		for (long k = 0; k < n; k++) {
			json_t *t;
			size_t j;
			const char *st = json_string_value(
			    json_object_get(e[k].r, "status"));
			if (st && !strcmp(st, "error"))
				continue;
			json_array_foreach (json_object_get(e[k].r, "tests"), j,
			                    t) {
				if (strcmp(json_string_value(
				               json_object_get(t, "id")),
				           json_string_value(id)))
					continue;
				count++;
				st = json_string_value(
				    json_object_get(t, "status"));
				passed += st && !strcmp(st, "passed");
			}
		}
		json_array_append_new(
		    tests,
		    json_pack("{s:O, s:I, s:I, s:f}", "id", id, "passed",
		              (json_int_t)passed, "count", (json_int_t)count,
		              "pass_rate",
		              count ? round4((double)passed / count) : 0.0));
	}
	qsort(e, n, sizeof(*e), cmp_slow);
	for (long k = 0; k < n && k < SLOWEST; k++)
		json_array_append_new(
		    slow, json_pack("{s:s, s:f}", "submission", e[k].name,
		                    "seconds", round4(e[k].seconds)));
	s = json_pack("{s:s, s:s, s:I, s:f, s:{s:I, s:I, s:I}, s:f, s:f, s:o, "
	              "s:o, s:o}",
	              "schema", "ipcgrade/summary/1", "assignment", assignment,
	              "count", (json_int_t)n, "max_score", max, "statuses",
	              "graded", (json_int_t)built, "build_failed",
	              (json_int_t)failed_build, "error", (json_int_t)errors,
	              "mean", graded ? round4(sum / graded) : 0.0, "median",
	              round4(median), "histogram", hist, "tests", tests,
	              "slowest", slow);
	free(scores);
	return s;
fail:
	free(scores);
	json_decref(hist);
	json_decref(tests);
	json_decref(slow);
	return NULL;
}

int gradebook_write(const char *outdir, char *msg, size_t msglen)
{
	char **names = NULL, path[4200], *csv = NULL;
	size_t csvlen = 0, i;
	struct entry *e = NULL;
	json_t *ids = json_array(), *sum = NULL, *t;
	const char *assignment = NULL;
	long n;
	int err = 0;
	FILE *m = NULL;

	n = gradebook_list(outdir, &names);
	if (n < 0) {
		snprintf(msg, msglen, "cannot list '%s/results': %s", outdir,
		         strerror((int)-n));
		err = (int)n;
		goto out;
	}
	e = calloc(n ? n : 1, sizeof(*e));
	if (!e || !ids) {
		err = -ENOMEM;
		goto out;
	}
	for (long k = 0; k < n; k++) {
		json_error_t je;
		snprintf(path, sizeof(path), "%s/results/%s.json", outdir,
		         names[k]);
		e[k].name = names[k];
		e[k].r = json_load_file(path, 0, &je);
		if (!json_is_object(e[k].r)) {
			snprintf(msg, msglen, "%s:%d:%d: %s", path, je.line,
			         je.column, je.text);
			err = -EINVAL;
			goto out;
		}
		e[k].seconds = json_number_value(json_object_get(
		    json_object_get(e[k].r, "harness"), "seconds"));
		if (!assignment)
			assignment = json_string_value(
			    json_object_get(e[k].r, "assignment"));
		/* Columns: every test id, in the order results list them. */
		json_array_foreach (json_object_get(e[k].r, "tests"), i, t) {
			json_t *id = json_object_get(t, "id"), *have;
			size_t j;
			bool known = false;
			json_array_foreach (ids, j, have)
				known = known || json_equal(have, id);
			if (!known && json_is_string(id))
				json_array_append(ids, id);
		}
	}

	if (!(m = open_memstream(&csv, &csvlen))) {
		err = -ENOMEM;
		goto out;
	}
	fputs("submission,score,max,status", m);
	json_array_foreach (ids, i, t) {
		fputc(',', m);
		csv_field(m, json_string_value(t));
	}
	fputs("\r\n", m);
	for (long k = 0; k < n; k++) {
		json_t *r = e[k].r, *id;
		const char *st =
		    json_string_value(json_object_get(r, "status"));
		csv_field(m, e[k].name);
		fprintf(m, ",%g,%g,",
		        json_number_value(json_object_get(r, "score")),
		        json_number_value(json_object_get(r, "max_score")));
		csv_field(m, st ? st : "");
		json_array_foreach (ids, i, id) {
			size_t j;
			fputc(',', m);
			json_array_foreach (json_object_get(r, "tests"), j, t)
				if (json_equal(json_object_get(t, "id"), id)) {
					fprintf(
					    m, "%g",
					    json_number_value(
					        json_object_get(t, "score")));
					break;
				}
		}
		fputs("\r\n", m);
	}
	fclose(m);
	m = NULL;
	snprintf(path, sizeof(path), "%s/grades.csv", outdir);
	if ((err = gradebook_write_atomic(path, csv, csvlen))) {
		snprintf(msg, msglen, "cannot write '%s': %s", path,
		         strerror(-err));
		goto out;
	}

	sum = summary(assignment ? assignment : "", e, n, ids);
	if (!sum) {
		err = -ENOMEM;
		goto out;
	}
	snprintf(path, sizeof(path), "%s/summary.json", outdir);
	if ((err = gradebook_write_json(path, sum)))
		snprintf(msg, msglen, "cannot write '%s': %s", path,
		         strerror(-err));
out:
	if (err == -ENOMEM)
		snprintf(msg, msglen, "out of memory");
	if (m)
		fclose(m);
	free(csv);
	json_decref(sum);
	json_decref(ids);
	for (long k = 0; e && k < n; k++)
		json_decref(e[k].r);
	free(e);
	gradebook_free_names(names, n > 0 ? n : 0);
	return err;
}
