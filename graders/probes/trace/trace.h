/*
 * trace.h - the parts of the trace runner (graders/probes/trace.c): the
 * plan and the steps' dispatch (trace.c), the program's output (output.c),
 * the steps (steps.c), and what the kernel sees (kernel.c: the program's
 * start, its seccomp listener, handlers, the race, integrity checks).
 */
#ifndef GRADERS_PROBES_TRACE_H
#define GRADERS_PROBES_TRACE_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define MAX_WORDS  40
#define MAX_LINE   4096
#define MAX_QUEUE  65536 /* lines read but not yet looked at */
#define FLOOD      (8u << 20)
#define TRANSCRIPT (48u << 10)
#define SETTLE_MS  200
#define PROBE_FD   3 /* low: a test may allow few open files */

struct step {
	int idx;
	int argc;
	char *argv[MAX_WORDS];
};

struct line {
	char *text;
	bool err; /* from stderr */
};

struct queue {
	struct line items[MAX_QUEUE];
	size_t head, n;
};

/*** trace.c: the plan, variables, failure ***/

extern char *prog_argv[MAX_WORDS + 1];
extern char *preload;      /* the handler probe library, or NULL */
extern bool watch_waits;   /* a step needs every blocking wait seen */
extern char failure[1024]; /* the first step's failure, or "" */

void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *var(const char *name);
void set_var(const char *name, const char *value, size_t len);
/* pat with {name} replaced by the variable's value, compiled. */
bool compile(const char *pat, regex_t *re);
int signum(const char *name);

/*** output.c: what comes out of the program ***/

extern pid_t pid;    /* the program */
extern pid_t sender; /* a burst's sender, while one runs */
extern int in_fd;    /* its stdin */
extern bool exited, flooded, out_eof, err_eof;
extern int status;
extern struct queue fresh, backlog;
extern uint64_t total_out, stdout_bytes;
extern unsigned long long lines_seen;

void output_start(int out, int err);
void push(struct queue *q, char *text, bool err);
bool pop(struct queue *q, struct line *l);
/* Wait for anything from the program (output, the probe library, the
 * listener), at most until `until` (ms). */
void pump(double until);
/* Everything that is already there, without waiting. */
void drain(void);
void check_exit(void);
/* The next line (stdout only unless either): 1; 0 at the deadline; -1
 * when the program's output ended. */
int next_line(double until, bool either, struct line *l);
const char *ending(void);
void transcript_report(void);

/*** kernel.c: the program's start and what the kernel says of it ***/

extern bool confined; /* the program runs in a Landlock domain of its own */

/* Fork and exec the program: confined, with the run's seccomp filter and
 * our listener on the calls we watch, the probe library preloaded. */
void start_program(void);
/* The descriptors pump() waits on besides the output: listener, probe. */
int kernel_fds(int *fds, int max);
/* One of them is readable. */
void kernel_ready(int fd);
/* Whether every live thread of the program sleeps (or it is gone). */
bool program_sleeps(void);
/* Its state as /proc says (a zombie leader's live thread's), '?' gone. */
char state_of(pid_t p);
/* The children of p, of every thread; how many (at most max). */
size_t children_of(pid_t p, pid_t *out, size_t max);
/* The signal masks of every live thread; how many threads. */
int masks_of(pid_t p, uint64_t *blocked, int *tids, int max);
/* CPU seconds of everything the program ever had (its group). */
bool program_cpu(double *seconds);
/* A forbidden call was made: the program is dead, the step failed. */
extern bool violated;
/* Checks that the program graded is the one probed; "" or why not. They
 * need it alive: probe_watch() runs them whenever a signal goes, and the
 * first failure stands. */
const char *probe_intact(void);
void probe_watch(void);
/* "unsafe|blocking FN SIG" reports, kernel's and library's. */
size_t handler_reports(const char *kind, char *list, size_t len);
/* The report's kernel lines (violation, confined). */
void kernel_report(void);
/* For race.c: the listener's answer; whether a call is still pending;
 * whether nr is a wait the listener sees; whether tid is the program's;
 * the signal whose handler tid runs (0: none); a wait in a handler. */
struct seccomp_notif;
struct seccomp_notif_resp;
void kernel_respond(struct seccomp_notif_resp *resp);
bool kernel_id_valid(uint64_t id);
bool is_wait_call(long nr);
bool of_program(pid_t tid);
int handler_running(pid_t tid);
void blocking_in_handler(const struct seccomp_notif *req);

/*** race.c ***/

/* race: send sig into the program's next blocking wait. */
void race(int sig);
/* Race steps not yet run: while some are, untimed waits are held. */
extern int races_left;
/* Let every held wait go on (before anything that wakes the program). */
void release_holds(void);
/* A wait the listener saw: false when it is held (no answer yet). */
bool race_on_wait(const struct seccomp_notif *req,
                  struct seccomp_notif_resp *resp);
/* The no_line() hint: a lost wake-up the race produced, or NULL. */
const char *lost_wakeup(void);
/* The blocking call the program waits in, or NULL. */
const char *waiting_in(void);
/* The program's write() calls so far, every thread; -1 when unknown. */
long long writes_made(void);

/*** steps.c ***/

void run_step(const struct step *s);

#endif
