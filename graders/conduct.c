#include "conduct.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "run.h"

#define MAX_PROGRAM (64 << 20)

static void append(struct conduct_plan *p, const void *data, size_t len)
{
	if (p->failed)
		return;
	if (p->len + len + 1 > p->cap) {
		size_t cap = p->cap ? p->cap : 4096;
		char *t;
		while (cap < p->len + len + 1)
			cap *= 2;
		if (!(t = realloc(p->text, cap))) {
			p->failed = true;
			return;
		}
		p->text = t;
		p->cap = cap;
	}
	memcpy(p->text + p->len, data, len);
	p->len += len;
	p->text[p->len] = '\0';
}

/* A word of the plan: bytes that would split or confuse it as %XX. */
static void append_word(struct conduct_plan *p, const char *s)
{
	append(p, " ", 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[4];
		if (c <= ' ' || c == '%' || c >= 0x7f) {
			snprintf(esc, sizeof(esc), "%%%02X", c);
			append(p, esc, 3);
		} else {
			append(p, s, 1);
		}
	}
}

void plan_init(struct conduct_plan *p)
{
	memset(p, 0, sizeof(*p));
}

void plan_release(struct conduct_plan *p)
{
	for (size_t i = 0; i < p->nprograms; i++)
		free(p->programs[i].path);
	free(p->text);
	memset(p, 0, sizeof(*p));
}

void plan_line(struct conduct_plan *p, const char *fmt, ...)
{
	char *line = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&line, fmt, ap);
	va_end(ap);
	if (n < 0) {
		p->failed = true;
		return;
	}
	append(p, line, (size_t)n);
	append(p, "\n", 1);
	free(line);
}

void plan_program(struct conduct_plan *p, const char *id, const char *path,
                  enum plan_role role)
{
	if (p->nprograms == CONDUCT_MAX) {
		p->failed = true;
		return;
	}
	p->programs[p->nprograms].role = role;
	snprintf(p->programs[p->nprograms].id, 32, "%s", id);
	if (!(p->programs[p->nprograms++].path = strdup(path)))
		p->failed = true;
}

void plan_blob(struct conduct_plan *p, const char *id, const void *data,
               size_t len)
{
	plan_line(p, "blob %s %zu", id, len);
	append(p, data, len);
}

void plan_argv(struct conduct_plan *p, const char *head,
               const char *const *argv)
{
	append(p, head, strlen(head));
	for (const char *const *a = argv; *a; a++)
		append_word(p, *a);
	append(p, "\n", 1);
}

void plan_proc(struct conduct_plan *p, const char *name, const char *id,
               const char *const *argv)
{
	char head[128];

	snprintf(head, sizeof(head), "proc %s %s", name, id);
	plan_argv(p, head, argv);
}

int plan_copy_programs(void *arg, const char *dir)
{
	struct conduct_plan *p = arg;
	char bin[4200];

	snprintf(bin, sizeof(bin), "%s/.bin", dir);
	if (mkdir(bin, 0755) < 0)
		return -errno;
	for (size_t i = 0; i < p->nprograms; i++) {
		char *data = NULL, *slash = strrchr(p->programs[i].path, '/');
		char path[4300];
		size_t len = 0;
		int err;

		if (!slash)
			return -EINVAL;
		*slash = '\0';
		err = fs_read_beneath(p->programs[i].path, slash + 1,
		                      MAX_PROGRAM, &data, &len);
		*slash = '/';
		if (err)
			return err;
		snprintf(path, sizeof(path), "%s/%s", bin, p->programs[i].id);
		err = fs_write_new(path, data, len,
		                   p->programs[i].role == PLAN_REFERENCE ? 0111
		                   : p->programs[i].role == PLAN_DATA    ? 0644
		                                                      : 0755);
		free(data);
		if (err)
			return err;
		/* fs_write_new's mode is filtered by the umask. */
		if (p->programs[i].role == PLAN_REFERENCE &&
		    chmod(path, 0111) < 0)
			return -errno;
	}
	return 0;
}

struct collect_ctx {
	const struct conduct_opts *o;
	struct conduct_report *rep;
};

static void collect_files(void *arg, const char *dir)
{
	struct collect_ctx *c = arg;

	for (const char *const *f = c->o->collect; f && *f; f++) {
		struct conduct_data *d;
		if (c->rep->nfiles == CONDUCT_MAX)
			break;
		d = &c->rep->files[c->rep->nfiles++];
		snprintf(d->name, sizeof(d->name), "%s", *f);
		d->err = fs_read_beneath(dir, *f, c->o->collect_max, &d->data,
		                         &d->len);
		d->total = d->len;
	}
}

struct hooks {
	struct conduct_plan *plan;
	struct collect_ctx collect;
};

static int prepare(void *arg, const char *dir)
{
	return plan_copy_programs(((struct hooks *)arg)->plan, dir);
}

static void finish(void *arg, const char *dir)
{
	collect_files(&((struct hooks *)arg)->collect, dir);
}

char *report_unescape(const char *s)
{
	char *out = malloc(strlen(s) + 1), *w = out;

	if (!out)
		return NULL;
	for (; *s; s++) {
		unsigned v;
		if (*s == '%' && sscanf(s + 1, "%2x", &v) == 1) {
			*w++ = v ? (char)v : '?';
			s += 2;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
	return out;
}

static char *next_line(char **at, char *end)
{
	char *line = *at, *nl;

	if (line >= end || !(nl = memchr(line, '\n', (size_t)(end - line))))
		return NULL;
	*nl = '\0';
	*at = nl + 1;
	return line;
}

static void parse_report(struct conduct_report *rep, char *text, size_t len)
{
	char *at = text, *end = text + len, *line;

	while ((line = next_line(&at, end))) {
		char name[64], how[16];
		double s, e, u, k, c;
		size_t total, kept;
		long long size;
		int code;

		if (!strcmp(line, "end")) {
			rep->complete = true;
			return;
		}
		if (!strcmp(line, "confined yes")) {
			rep->confined = true;
		} else if (sscanf(line,
		                  "proc %31s start %lf end %lf %15s %d utime "
		                  "%lf stime %lf cpu %lf",
		                  name, &s, &e, how, &code, &u, &k, &c) == 8 &&
		           rep->nprocs < CONDUCT_MAX) {
			struct conduct_proc *p = &rep->procs[rep->nprocs++];
			snprintf(p->name, sizeof(p->name), "%s", name);
			p->start_ms = s;
			p->end_ms = e;
			p->signaled = !strcmp(how, "signal");
			p->code = code;
			/* Its group's, which has every process it ever had;
			 * never less than its own. */
			p->cpu = c > u + k ? c : u + k;
		} else if (sscanf(line, "window %63s %lf %lf", name, &s, &c) ==
		               3 &&
		           rep->nwindows < 8) {
			struct conduct_window *w =
			    &rep->windows[rep->nwindows++];
			snprintf(w->name, sizeof(w->name), "%s", name);
			w->ms = s;
			w->cpu = c;
		} else if (sscanf(line, "out %63s %zu %zu", name, &total,
		                  &kept) == 3 &&
		           rep->nouts < CONDUCT_MAX) {
			struct conduct_data *d = &rep->outs[rep->nouts++];
			if (kept > (size_t)(end - at))
				return;
			snprintf(d->name, sizeof(d->name), "%s", name);
			d->total = total;
			d->len = kept;
			if (!(d->data = malloc(kept + 1)))
				return;
			memcpy(d->data, at, kept);
			d->data[kept] = '\0';
			at += kept + 1;
		} else if (sscanf(line, "shm %63s %lld", name, &size) == 2 &&
		           rep->nresidue < 8) {
			char *plain = report_unescape(name);
			snprintf(rep->residue[rep->nresidue++], 160,
			         "/dev/shm/%s (%lld bytes)",
			         plain ? plain : name, size);
			free(plain);
		} else if (sscanf(line, "sysv %15s %lld", how, &size) == 2 &&
		           rep->nresidue < 8) {
			snprintf(rep->residue[rep->nresidue++], 160,
			         "a System V %s object (key 0x%llx)", how,
			         size);
		}
	}
}

int conduct_run(const struct grade_ctx *g, const struct test_spec *t,
                struct conduct_plan *plan, const struct conduct_opts *o,
                struct conduct_report *rep, struct sandbox_result *res)
{
	struct hooks h = { plan, { o, rep } };
	struct run_opts ro = { 0 };
	struct conduct_plan head;
	const char *probes = run_probes_dir();
	char probe[4200];
	int err;

	memset(rep, 0, sizeof(*rep));
	if (!probes)
		return -ENOENT;
	snprintf(probe, sizeof(probe), "%s/%s", probes,
	         o->probe ? o->probe : "conduct");
	/* The programs first, then hide their copies, then the plan. */
	plan_init(&head);
	for (size_t i = 0; i < plan->nprograms; i++)
		if (plan->programs[i].role != PLAN_DATA)
			plan_line(&head, "exe %s .bin/%s %s",
			          plan->programs[i].id, plan->programs[i].id,
			          plan->programs[i].role == PLAN_STUDENT
			              ? "student"
			              : "reference");
	plan_line(&head, "hide .bin");
	append(&head, plan->text ? plan->text : "", plan->len);
	if (head.failed || plan->failed) {
		plan_release(&head);
		return -ENOMEM;
	}
	ro.in = head.text;
	ro.in_len = head.len;
	ro.program = probe;
	ro.tick = o->tick;
	ro.tick_arg = o->tick_arg;
	ro.tick_seconds = o->tick_seconds;
	ro.prepare = prepare;
	ro.finish = finish;
	ro.hook_arg = &h;
	ro.output_bytes = o->output_bytes ? o->output_bytes : 1 << 20;
	ro.net_sysctls = o->net_sysctls;
	ro.witness = true;
	ro.probe_listens = o->probe_listens;
	/* The report is the probe's stdout; the programs' stderr is chatter
	 * (kept for a look, never held against the output limit). */
	ro.stderr_chatter = true;
	err = run_program(g, t, RUN_STUDENT, &ro, res);
	plan_release(&head);
	if (!err && !o->probe)
		parse_report(rep, res->out.data, res->out.len);
	return err;
}

void conduct_release(struct conduct_report *rep)
{
	for (size_t i = 0; i < rep->nouts; i++)
		free(rep->outs[i].data);
	for (size_t i = 0; i < rep->nfiles; i++)
		free(rep->files[i].data);
	memset(rep, 0, sizeof(*rep));
}

const struct conduct_proc *conduct_proc(const struct conduct_report *rep,
                                        const char *name)
{
	for (size_t i = 0; i < rep->nprocs; i++)
		if (!strcmp(rep->procs[i].name, name))
			return &rep->procs[i];
	return NULL;
}

const struct conduct_window *conduct_window(const struct conduct_report *rep,
                                            const char *name)
{
	for (size_t i = 0; i < rep->nwindows; i++)
		if (!strcmp(rep->windows[i].name, name))
			return &rep->windows[i];
	return NULL;
}

const struct conduct_data *conduct_out(const struct conduct_report *rep,
                                       const char *name)
{
	for (size_t i = 0; i < rep->nouts; i++)
		if (!strcmp(rep->outs[i].name, name))
			return &rep->outs[i];
	return NULL;
}
