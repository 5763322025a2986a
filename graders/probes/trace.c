/*
 * trace - runs one program inside the sandbox and plays a trace script
 * against it: send signals (paced by the program's own output), expect
 * lines, write stdin, check exit status, children, zombies, CPU time and
 * what its signal handlers did. graders/trace.c documents the plan it reads
 * on stdin and the report it writes on stdout; trace/ holds its parts.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "probe.h"
#include "trace/trace.h"
#include "witness.h"

#define MAX_PLAN  (4u << 20)
#define MAX_STEPS 8192
#define MAX_VARS  256

char *prog_argv[MAX_WORDS + 1];
char *preload;
bool watch_waits;
char failure[1024];

static struct step steps[MAX_STEPS];
static size_t nsteps;
static int failed_step = -1;

static struct {
	char name[32];
	char value[64];
} vars[MAX_VARS];
static size_t nvars;

static void parse_plan(char *text)
{
	char *save = NULL;

	for (char *l = strtok_r(text, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		char *w[MAX_WORDS + 2];
		int n = words(l, w, MAX_WORDS + 2);

		if (n == 0)
			continue;
		for (int i = 0; i < n; i++)
			unescape(w[i]);
		if (!strcmp(w[0], "prog") && n >= 2) {
			for (int i = 1; i < n && i <= MAX_WORDS; i++)
				prog_argv[i - 1] = w[i];
		} else if (!strcmp(w[0], "preload") && n == 2) {
			/* absolute: the program may change its directory */
			preload = realpath(w[1], NULL);
			if (!preload)
				die("%s: %s", w[1], strerror(errno));
		} else if (!strcmp(w[0], "step") && n >= 3) {
			struct step *s;
			if (nsteps == MAX_STEPS)
				die("too many steps");
			s = &steps[nsteps++];
			s->idx = atoi(w[1]);
			s->argc = n - 2;
			for (int i = 2; i < n; i++)
				s->argv[i - 2] = w[i];
			/* The race and the handlers' checks watch every
			 * blocking wait the program makes. */
			if (!strcmp(w[2], "race") || !strcmp(w[2], "handlers"))
				watch_waits = true;
			if (!strcmp(w[2], "race"))
				races_left++;
		} else {
			die("bad plan line '%s'", w[0]);
		}
	}
	if (!prog_argv[0])
		die("no program");
}

int signum(const char *name)
{
	for (int s = 1; s < NSIG; s++) {
		const char *n = sigabbrev_np(s);
		if (n && !strcmp(n, name))
			return s;
	}
	die("unknown signal '%s'", name);
}

const char *var(const char *name)
{
	for (size_t i = 0; i < nvars; i++)
		if (!strcmp(vars[i].name, name))
			return vars[i].value;
	return NULL;
}

void set_var(const char *name, const char *value, size_t len)
{
	size_t i;

	for (i = 0; i < nvars && strcmp(vars[i].name, name); i++)
		;
	if (i == MAX_VARS)
		return;
	if (i == nvars)
		nvars++;
	snprintf(vars[i].name, sizeof(vars[i].name), "%s", name);
	snprintf(vars[i].value, sizeof(vars[i].value), "%.*s",
	         (int)(len < 63 ? len : 63), value);
}

void fail(const char *fmt, ...)
{
	va_list ap;

	if (failure[0])
		return;
	va_start(ap, fmt);
	vsnprintf(failure, sizeof(failure), fmt, ap);
	va_end(ap);
}

bool compile(const char *pat, regex_t *re)
{
	char out[2048];
	size_t n = 0;

	for (const char *p = pat; *p && n < sizeof(out) - 130; p++) {
		const char *close = *p == '{' ? strchr(p, '}') : NULL;
		char name[32];
		const char *v;
		if (!close || close - p - 1 >= (long)sizeof(name) ||
		    !isalpha((unsigned char)p[1])) {
			out[n++] = *p;
			continue;
		}
		snprintf(name, sizeof(name), "%.*s", (int)(close - p - 1),
		         p + 1);
		if (!(v = var(name))) {
			fail("the variable {%s} has no value yet", name);
			return false;
		}
		for (; *v && n < sizeof(out) - 4; v++) {
			if (strchr("\\^$.[]|()?*+{}", *v))
				out[n++] = '\\';
			out[n++] = *v;
		}
		p = close;
	}
	out[n] = '\0';
	if (regcomp(re, out, REG_EXTENDED)) {
		fail("bad pattern /%s/", out);
		return false;
	}
	return true;
}

static void report(size_t done)
{
	if (failure[0]) {
		putf("fail %d ", failed_step);
		put_word(failure, strlen(failure));
		put("\n", 1);
	}
	putf("steps %zu\n", done);
	if (exited)
		putf("%s %d\n", WIFSIGNALED(status) ? "signal" : "exit",
		     WIFSIGNALED(status) ? WTERMSIG(status)
		                         : WEXITSTATUS(status));
	kernel_report();
	transcript_report();
	putf("end\n");
}

int main(void)
{
	unsigned char *plan;
	size_t len, done = 0;

	/* Same uid as the program: without this it could read this
	 * process's memory or take over its report through /proc. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	probe_name = "trace";
	if (getuid() == 0)
		die("refusing to run a program as root");
	if (!witness_open())
		die("no witness: run me through the harness");
	/* Orphans of the program come here, where `orphans` sees them. */
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	signal(SIGPIPE, SIG_IGN);
	probe_start_clock();
	read_all(&plan, &len, MAX_PLAN);
	parse_plan((char *)plan);
	start_program();
	for (; done < nsteps && !failure[0]; done++) {
		run_step(&steps[done]);
		if (failure[0])
			failed_step = steps[done].idx;
	}
	if (failure[0])
		done--;
	drain();
	if (!exited) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		exited = false; /* report only an exit the program chose */
	}
	report(done);
	return 0;
}
