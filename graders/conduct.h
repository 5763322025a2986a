/*
 * conduct.h - run several programs in one sandbox through the conduct
 * probe: write a plan, run it, read the report back.
 *
 * plan_*() build a struct conduct_plan; conduct_run() copies the plan's
 * programs into the run's folder, runs it and parses the report into a
 * struct conduct_report. Release both with their *_release().
 *
 * The plan the probe reads on stdin, a line each (words split on spaces,
 * %XX escapes in paths and arguments):
 *   exe ID PATH student|reference   open a program (before anything
 *                            runs); a student's is confined when started
 *   hide PATH                remove PATH once every program is open
 *   blob ID LEN\n<bytes>     data to feed
 *   proc NAME ID ARGV...     a process (not started yet)
 *   in NAME null | blob ID [chunk N every MS]
 *   out NAME null | keep CAP [chunk N every MS] [stall MS]
 *                            (a stall: not read until MS after the last
 *                            program started)
 *   window NAME FROM TO      NAME's CPU between two events, each
 *                            start:P, fed:P (P's input all written),
 *                            stall:P (P's output read at last), end:P
 *   start NAME | sleep MS | wait NAME | waitall     the steps, in order
 *   await PATH [at OFFSET is U32]   step: until PATH exists (and holds
 *                                   that 32-bit value at OFFSET)
 * While a sleep or an await step is pending (a program is yet to start)
 * its process name is "conduct-hold", else "conduct".
 * The report, on stdout:
 *   confined yes|no          whether Landlock confined the students
 *   proc NAME start MS end MS exit|signal N utime S stime S cpu S
 *                            (cpu: every process it ever had, -1 unknown)
 *   out NAME TOTAL KEPT\n<KEPT bytes>\n
 *   window NAME MS CPU
 *   shm NAME SIZE | sysv shm|sem|msg KEY ID        what was left behind
 *                            (NAME %XX-escaped)
 *   end
 */
#ifndef GRADERS_CONDUCT_H
#define GRADERS_CONDUCT_H

#include <stdbool.h>
#include <stddef.h>

#include "driver.h"

#define CONDUCT_MAX 16

/* Who a program of the plan is: the student's is confined and counted
 * apart; the reference's copy is execute-only, so the kernel makes the
 * process non-dumpable (no same-uid /proc access to it); data is a file. */
enum plan_role {
	PLAN_STUDENT,
	PLAN_REFERENCE,
	PLAN_DATA,
};

struct conduct_plan {
	char *text;
	size_t len, cap;
	struct {
		char id[32];
		char *path;
		enum plan_role role;
	} programs[CONDUCT_MAX];
	size_t nprograms;
	bool failed; /* out of memory or too many entries */
};

void plan_init(struct conduct_plan *p);
void plan_release(struct conduct_plan *p);
/* The program at path (host side), known to the plan as id. */
void plan_program(struct conduct_plan *p, const char *id, const char *path,
                  enum plan_role role);
/* A run_opts.prepare hook (arg: the plan): copies each program of the
 * plan into DIR/.bin/ID, where the runner finds it. */
int plan_copy_programs(void *arg, const char *dir);
void plan_blob(struct conduct_plan *p, const char *id, const void *data,
               size_t len);
/* A process running program id with argv (argv[0] is what it is called;
 * NULL-terminated). */
void plan_proc(struct conduct_plan *p, const char *name, const char *id,
               const char *const *argv);
/* A line: head, then each of argv %XX-escaped (NULL-terminated). */
void plan_argv(struct conduct_plan *p, const char *head,
               const char *const *argv);
void plan_line(struct conduct_plan *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

struct conduct_proc {
	char name[64];
	double start_ms, end_ms;
	bool signaled;
	int code;   /* exit status or signal */
	double cpu; /* user + system seconds of every process it ever had */
};

struct conduct_window {
	char name[64];
	double ms, cpu; /* how long, and the CPU seconds used meanwhile */
};

struct conduct_data {
	char name[64];
	char *data; /* NULL: missing (err says why) */
	size_t len, total;
	int err;
};

struct conduct_report {
	bool complete; /* the probe got to the end of its report */
	bool confined; /* the student's programs were in their own domain */
	struct conduct_window windows[8];
	size_t nwindows;
	struct conduct_proc procs[CONDUCT_MAX];
	size_t nprocs;
	struct conduct_data outs[CONDUCT_MAX];  /* kept stdout */
	struct conduct_data files[CONDUCT_MAX]; /* collected files */
	size_t nouts, nfiles;
	char residue[8][160]; /* "/dev/shm/NAME (N bytes)" */
	size_t nresidue;
};

struct conduct_opts {
	int (*tick)(void *arg, const struct sandbox_tick *t);
	void *tick_arg;
	double tick_seconds;
	/* Files of the run's folder to read back afterwards (NULL-ended),
	 * each at most collect_max bytes. */
	const char *const *collect;
	size_t collect_max;
	size_t output_bytes; /* room for the report; 0: 1 MiB */
	/* Another probe that reads the same "exe"/"hide" head (e.g.
	 * "netprobe"; its report is left in res->out); NULL: conduct. */
	const char *probe;
	const char *const *net_sysctls; /* see struct sandbox_config */
	bool probe_listens;             /* see struct sandbox_config */
};

/* 0, or -errno when the harness failed. */
int conduct_run(const struct grade_ctx *g, const struct test_spec *t,
                struct conduct_plan *plan, const struct conduct_opts *o,
                struct conduct_report *rep, struct sandbox_result *res);
void conduct_release(struct conduct_report *rep);

const struct conduct_proc *conduct_proc(const struct conduct_report *rep,
                                        const char *name);
const struct conduct_data *conduct_out(const struct conduct_report *rep,
                                       const char *name);
const struct conduct_window *conduct_window(const struct conduct_report *rep,
                                            const char *name);

/* A %XX-escaped word of a probe's report, decoded (allocated; a NUL in it
 * becomes '?'); NULL when out of memory. */
char *report_unescape(const char *s);

#endif
