#include "progress.h"

#include <string.h>
#include <time.h>

#define BAR_WIDTH 24

double progress_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void clock_text(char *buf, size_t n, double s)
{
	long t = (long)(s + 0.5);
	if (t >= 3600)
		snprintf(buf, n, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60,
		         t % 60);
	else
		snprintf(buf, n, "%ld:%02ld", t / 60, t % 60);
}

/* A folder name may hold anything but '/': no terminal escapes. */
static void put_name(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, f);
}

static void draw(struct progress *p)
{
	double el = progress_now() - p->t0;
	size_t now = p->done - p->already, left = p->total - p->done;
	char bar[BAR_WIDTH + 1], elapsed[32], eta[32] = "?";
	size_t fill = p->total ? p->done * BAR_WIDTH / p->total : BAR_WIDTH;

	memset(bar, '#', fill);
	memset(bar + fill, '.', BAR_WIDTH - fill);
	bar[BAR_WIDTH] = '\0';
	clock_text(elapsed, sizeof(elapsed), el);
	if (now)
		clock_text(eta, sizeof(eta), el / now * left);
	fprintf(p->f, "\r[%s] %zu/%zu  %zu failed  %s elapsed  ETA %s\033[K",
	        bar, p->done, p->total, p->failures, elapsed, eta);
	fflush(p->f);
	p->drawn = true;
}

void progress_start(struct progress *p, FILE *f, bool bar, size_t total,
                    size_t already)
{
	memset(p, 0, sizeof(*p));
	p->f = f;
	p->bar = bar;
	p->total = total;
	p->done = p->already = already;
	p->t0 = progress_now();
	if (already)
		fprintf(f, "%zu of %zu already graded: resuming\n", already,
		        total);
	if (bar)
		draw(p);
}

void progress_done(struct progress *p, const char *name, const char *status,
                   double score, double max, double seconds)
{
	bool failed = strcmp(status, "graded") != 0;

	p->done++;
	p->failures += failed;
	if (!p->bar) {
		fprintf(p->f, "[%zu/%zu] ", p->done, p->total);
		put_name(p->f, name);
		fprintf(p->f, ": %g/%g %s (%.1f s)\n", score, max, status,
		        seconds);
		fflush(p->f);
		return;
	}
	/* Failures stay on screen above the bar. */
	if (failed) {
		fputs("\r\033[K", p->f);
		put_name(p->f, name);
		fprintf(p->f, ": %s\n", status);
	}
	draw(p);
}

void progress_tick(struct progress *p)
{
	if (p->bar)
		draw(p);
}

void progress_end(struct progress *p)
{
	if (p->bar && p->drawn) {
		draw(p);
		fputc('\n', p->f);
	}
	fflush(p->f);
}
