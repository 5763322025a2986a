/*
 * shmring.c - the `shmring` driver: producers and a consumer sharing a
 * ring buffer in shared memory, student and reference programs paired in
 * one sandbox (through the conduct probe), at controlled rates.
 *
 * A test names who produces and who consumes, the input, the start order,
 * the pacing of the producers' stdin and the consumer's stdout, and what
 * to check beyond byte-identical output: CPU time against wall time, and
 * that nothing is left in /dev/shm. A hang is cut short and explained from
 * the semaphores and indices read out of the mapping (ring_layout.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "conduct.h"
#include "driver.h"
#include "io.h"
#include "proc.h"
#include "ring_layout.h"
#include "run.h"
#include "shmring_watch.h"

#define MAX_PRODUCERS 8
#define MAX_INPUT     (16u << 20)

static const char *const ring_keys[] = {
	"producer", "consumer", "producers", "input",         "start",
	"gap_ms",   "feed",     "drain",     "init_delay_ms", "cpu",
	"clean",    "rounds",   NULL,
};

/* One test, read from its parameters. */
struct ring_test {
	bool student_producer, student_consumer;
	int producers;
	size_t size;      /* generated input per producer, or */
	const char *text; /* this text */
	size_t text_len;
	bool binary;
	enum {
		START_TOGETHER,
		START_PRODUCER,
		START_CONSUMER
	} start;
	int gap_ms;
	size_t feed_chunk;
	int feed_every;
	size_t drain_chunk;
	int drain_every, drain_stall;
	int init_delay;
	const char *cpu_who; /* "producer" or "consumer", or NULL */
	double cpu_max;
	bool clean;
	int rounds;
};

static int check_who(struct jcheck *c, json_t *t, const char *path,
                     const char *key)
{
	const char *s = NULL;
	char p[300];
	int err = jcheck_string(c, t, path, key, true, &s);

	if (err)
		return err;
	jcheck_join(p, sizeof(p), path, key);
	if (strcmp(s, "student") && strcmp(s, "reference"))
		return jcheck_fail(c, p,
		                   "must be \"student\" or \"reference\"");
	return 0;
}

static int check_sub(struct jcheck *c, json_t *t, const char *path,
                     const char *key, const char *const *keys, json_t **out)
{
	char p[300];
	int err;

	*out = json_object_get(t, key);
	if (!*out)
		return 0;
	jcheck_join(p, sizeof(p), path, key);
	if ((err = jcheck_object(c, *out, p, keys)))
		return err;
	for (const char *const *k = keys; *k; k++) {
		json_t *v = json_object_get(*out, *k);
		char q[340];
		jcheck_join(q, sizeof(q), p, *k);
		if (v && !json_is_string(v) &&
		    (!json_is_number(v) || json_number_value(v) < 0 ||
		     json_number_value(v) > 1e9))
			return jcheck_fail(c, q, "must be a number >= 0");
	}
	return 0;
}

static int ring_check(struct jcheck *c, json_t *t, const char *path)
{
	static const char *const input_keys[] = { "text", "size", "kind",
		                                  NULL };
	static const char *const pace_keys[] = { "chunk", "every_ms",
		                                 "stall_ms", NULL };
	static const char *const cpu_keys[] = { "who", "max_fraction", NULL };
	json_t *in, *feed, *drain, *cpu;
	const char *start = NULL, *s = NULL;
	double n = 1;
	bool b;
	char p[300];
	int err;

	if ((err = check_who(c, t, path, "producer")) ||
	    (err = check_who(c, t, path, "consumer")) ||
	    (err = jcheck_number(c, t, path, "producers", 1, MAX_PRODUCERS,
	                         &n)) ||
	    (err = jcheck_string(c, t, path, "start", false, &start)) ||
	    (err = jcheck_number(c, t, path, "gap_ms", 0, 10000, &n)) ||
	    (err = jcheck_number(c, t, path, "init_delay_ms", 0, 5000, &n)) ||
	    (err = jcheck_number(c, t, path, "rounds", 1, 50, &n)) ||
	    (err = jcheck_bool(c, t, path, "clean", &b)) ||
	    (err = check_sub(c, t, path, "input", input_keys, &in)) ||
	    (err = check_sub(c, t, path, "feed", pace_keys, &feed)) ||
	    (err = check_sub(c, t, path, "drain", pace_keys, &drain)) ||
	    (err = check_sub(c, t, path, "cpu", cpu_keys, &cpu)))
		return err;
	jcheck_join(p, sizeof(p), path, "start");
	if (start && strcmp(start, "together") &&
	    strcmp(start, "producer-first") && strcmp(start, "consumer-first"))
		return jcheck_fail(c, p,
		                   "must be together, producer-first or "
		                   "consumer-first");
	jcheck_join(p, sizeof(p), path, "input");
	if (!in)
		return jcheck_fail(c, path, "needs \"input\"");
	if ((err = jcheck_string(c, in, p, "kind", false, &s)))
		return err;
	if (s && strcmp(s, "text") && strcmp(s, "binary"))
		return jcheck_fail(c, p, "kind must be text or binary");
	if (!json_object_get(in, "text") == !json_object_get(in, "size"))
		return jcheck_fail(c, p, "give either \"text\" or \"size\"");
	if ((err = jcheck_string(c, in, p, "text", false, &s)) ||
	    (err = jcheck_number(c, in, p, "size", 0, MAX_INPUT, &n)))
		return err;
	if (json_object_get(t, "init_delay_ms") &&
	    strcmp(json_string_value(json_object_get(t, "producer")),
	           "reference"))
		return jcheck_fail(c, path,
		                   "init_delay_ms needs the reference "
		                   "producer");
	if (cpu) {
		jcheck_join(p, sizeof(p), path, "cpu");
		if ((err = jcheck_string(c, cpu, p, "who", true, &s)))
			return err;
		if (strcmp(s, "producer") && strcmp(s, "consumer"))
			return jcheck_fail(c, p,
			                   "who must be producer or consumer");
		if ((err = jcheck_number(c, cpu, p, "max_fraction", 0.001, 1,
		                         &n)))
			return err;
	}
	return 0;
}

static double num(json_t *o, const char *key, double def)
{
	json_t *v = json_object_get(o, key);

	return json_is_number(v) ? json_number_value(v) : def;
}

static void read_test(json_t *t, struct ring_test *rt)
{
	json_t *in = json_object_get(t, "input"), *feed, *drain, *cpu, *v;
	const char *start = json_string_value(json_object_get(t, "start"));

	memset(rt, 0, sizeof(*rt));
	rt->student_producer = !strcmp(
	    json_string_value(json_object_get(t, "producer")), "student");
	rt->student_consumer = !strcmp(
	    json_string_value(json_object_get(t, "consumer")), "student");
	rt->producers = (int)num(t, "producers", 1);
	if ((v = json_object_get(in, "text"))) {
		rt->text = json_string_value(v);
		rt->text_len = json_string_length(v);
	}
	rt->size = (size_t)num(in, "size", 0);
	v = json_object_get(in, "kind");
	rt->binary = v && !strcmp(json_string_value(v), "binary");
	rt->start = !start || !strcmp(start, "together") ? START_TOGETHER
	            : !strcmp(start, "producer-first")   ? START_PRODUCER
	                                                 : START_CONSUMER;
	rt->gap_ms =
	    (int)num(t, "gap_ms", rt->start == START_TOGETHER ? 0 : 300);
	feed = json_object_get(t, "feed");
	rt->feed_chunk = (size_t)num(feed, "chunk", 0);
	rt->feed_every = (int)num(feed, "every_ms", 0);
	drain = json_object_get(t, "drain");
	rt->drain_chunk = (size_t)num(drain, "chunk", 0);
	rt->drain_every = (int)num(drain, "every_ms", 0);
	rt->drain_stall = (int)num(drain, "stall_ms", 0);
	rt->init_delay = (int)num(t, "init_delay_ms", 0);
	if ((cpu = json_object_get(t, "cpu"))) {
		rt->cpu_who = json_string_value(json_object_get(cpu, "who"));
		rt->cpu_max = num(cpu, "max_fraction", 0.1);
	}
	v = json_object_get(t, "clean");
	rt->clean = json_is_true(v);
	rt->rounds = (int)num(t, "rounds", 1);
}

/* The input: xorshift64* from the test's seed (the grading's, so a
 * regrade with that seed is the same) and the producer's index. */
static char *make_input(const struct ring_test *rt, uint64_t seed, int k,
                        size_t *len)
{
	static const char words[] = "ring slot semaphore producer consumer "
	                            "shared memory mutex empty full head tail ";
	uint64_t x = seed ^ (uint64_t)(k + 1) * 0x9e3779b97f4a7c15ULL;
	char *buf;

	x = x ? x : 1;
	if (rt->text) {
		*len = rt->text_len;
		buf = malloc(*len + 1);
		if (buf)
			memcpy(buf, rt->text, *len + 1);
		return buf;
	}
	*len = rt->size;
	if (!(buf = malloc(*len + 1)))
		return NULL;
	for (size_t i = 0, w = 0; i < *len; i++) {
		uint64_t r;
		x ^= x >> 12;
		x ^= x << 25;
		x ^= x >> 27;
		r = x * 0x2545f4914f6cdd1dULL;
		if (rt->binary) {
			/* a quarter NULs, the rest anything */
			buf[i] = (r >> 60) < 4 ? 0 : (char)(r >> 24);
		} else if ((r >> 58) == 0) {
			buf[i] = '\n';
		} else {
			buf[i] = words[w++ % (sizeof(words) - 1)];
			if ((r >> 40 & 15) == 0)
				w += r % 13;
		}
	}
	buf[*len] = '\0';
	return buf;
}

/* ---- one round ---- */

struct round {
	const struct ring_test *rt;
	char *in[MAX_PRODUCERS];
	size_t in_len[MAX_PRODUCERS];
	struct conduct_report rep;
	struct sandbox_result res;
	struct watch w;
};

static void build_plan(const struct grade_ctx *g, struct round *r,
                       const char *object, struct conduct_plan *plan)
{
	const struct ring_test *rt = r->rt;
	const char *pdir =
	    rt->student_producer ? g->student_dir : g->reference_dir;
	const char *cdir =
	    rt->student_consumer ? g->student_dir : g->reference_dir;
	const char *pid = rt->student_producer ? "s.producer" : "r.producer";
	const char *cid = rt->student_consumer ? "s.consumer" : "r.consumer";
	char path[4200], np[16], delay[16];
	size_t total = 0;

	snprintf(path, sizeof(path), "%s/producer", pdir);
	plan_program(plan, pid, path,
	             rt->student_producer ? PLAN_STUDENT : PLAN_REFERENCE);
	snprintf(path, sizeof(path), "%s/consumer", cdir);
	plan_program(plan, cid, path,
	             rt->student_consumer ? PLAN_STUDENT : PLAN_REFERENCE);
	snprintf(np, sizeof(np), "%d", rt->producers);
	{
		const char *argv[] = { "consumer", "-p", np, object, NULL };
		const char *one[] = { "consumer", object, NULL };
		plan_proc(plan, "C", cid, rt->producers > 1 ? argv : one);
	}
	for (int k = 0; k < rt->producers; k++) {
		char name[16], blob[16], idx[16];
		const char *argv[8];
		int n = 0;
		snprintf(name, sizeof(name), "P%d", k);
		snprintf(blob, sizeof(blob), "in%d", k);
		snprintf(idx, sizeof(idx), "%d", k);
		snprintf(delay, sizeof(delay), "%d", rt->init_delay);
		argv[n++] = "producer";
		if (rt->init_delay) {
			argv[n++] = "-w";
			argv[n++] = delay;
		}
		if (rt->producers > 1) {
			argv[n++] = "-i";
			argv[n++] = idx;
		}
		argv[n++] = object;
		argv[n] = NULL;
		plan_blob(plan, blob, r->in[k], r->in_len[k]);
		plan_proc(plan, name, pid, argv);
		if (rt->feed_every)
			plan_line(plan, "in %s blob %s chunk %zu every %d",
			          name, blob,
			          rt->feed_chunk ? rt->feed_chunk : 512,
			          rt->feed_every);
		else
			plan_line(plan, "in %s blob %s", name, blob);
		total += r->in_len[k];
	}
	if (rt->producers > 1)
		plan_line(plan, "out C null");
	else if (rt->drain_stall)
		plan_line(plan, "out C keep %zu stall %d", total + 65536,
		          rt->drain_stall);
	else if (rt->drain_every)
		plan_line(
		    plan, "out C keep %zu chunk %zu every %d", total + 65536,
		    rt->drain_chunk ? rt->drain_chunk : 4096, rt->drain_every);
	else
		plan_line(plan, "out C keep %zu", total + 65536);

	/* The CPU of the program checked, over the time it should sleep:
	 * the consumer while a paced producer is fed, or before a producer
	 * starts at all; the producer while the consumer's output stalls. */
	if (rt->cpu_who && !strcmp(rt->cpu_who, "consumer"))
		plan_line(plan, "window C start:C %s",
		          rt->feed_every                ? "fed:P0"
		          : rt->start == START_CONSUMER ? "start:P0"
		                                        : "end:P0");
	else if (rt->cpu_who)
		plan_line(plan, "window P0 start:%s %s",
		          rt->start == START_CONSUMER ? "P0" : "C",
		          rt->drain_stall ? "stall:C" : "end:P0");
	if (rt->start == START_CONSUMER) {
		plan_line(plan, "start C");
		if (rt->gap_ms)
			plan_line(plan, "sleep %d", rt->gap_ms);
	}
	for (int k = 0; k < rt->producers; k++)
		plan_line(plan, "start P%d", k);
	if (rt->start != START_CONSUMER) {
		/* Readiness, not a guess: the consumer starts once the
		 * object is initialised (magic set). */
		plan_line(plan, "await /dev/shm%s at %zu is %u", object,
		          posix_ring_layout.magic_off, posix_ring_layout.magic);
		if (rt->gap_ms)
			plan_line(plan, "sleep %d", rt->gap_ms);
		plan_line(plan, "start C");
	}
	plan_line(plan, "waitall");
}

static const char *role(const struct ring_test *rt, const char *name)
{
	if (name[0] == 'C')
		return rt->student_consumer ? "the student consumer"
		                            : "the reference consumer";
	return rt->student_producer ? "the student producer"
	                            : "the reference producer";
}

static const char *signal_hint(int sig)
{
	switch (sig) {
	case SIGBUS:
		return ": it touched the mapping beyond the object's size "
		       "(mapped before ftruncate, or without waiting for "
		       "magic?)";
	case SIGSEGV:
		return ": an access outside its memory (a ring index out of "
		       "range, or a failed mmap used anyway?)";
	default:
		return "";
	}
}

/* The first difference between want and got, as a readable message. */
static void compare(struct test_outcome *out, const char *what,
                    const char *want, size_t wl, const char *got, size_t gl,
                    size_t gtotal, bool cut_short)
{
	size_t i = 0;

	while (i < wl && i < gl && want[i] == got[i])
		i++;
	if (i == wl && i == gl && gtotal == gl)
		return;
	if (cut_short && i == gl && gtotal == gl)
		return; /* a correct start of a run that was ended */
	out->status = TEST_FAILED;
	if (gtotal > wl && i == wl) {
		size_t n = gl - wl < 24 ? gl - wl : 24;
		char *extra = io_visible(got + wl, n);
		test_outcome_message(out,
		                     "%s is the whole input (%zu bytes), then "
		                     "%zu bytes more, starting \"%s\"",
		                     what, wl, (size_t)(gtotal - wl),
		                     extra ? extra : "");
		free(extra);
		return;
	}
	if (i == gl) {
		test_outcome_message(
		    out,
		    "%s stops after %zu of the %zu bytes of the "
		    "input: the last %zu never came",
		    what, gl, wl, wl - gl);
		return;
	}
	/* What came there instead, if it is input from one place only. */
	size_t run = gl - i < 64 ? gl - i : 64;
	const char *from = run >= 16 ? memmem(want, wl, got + i, run) : NULL;
	char also[160] = "";
	if (from &&
	    memmem(from + 1, wl - (size_t)(from - want) - 1, got + i, run))
		from = NULL; /* more than one: it proves nothing */
	if (from)
		snprintf(also, sizeof(also),
		         ": there came the input's bytes from byte %zu on (%s)",
		         (size_t)(from - want),
		         (size_t)(from - want) < i ? "a repeat"
		                                   : "ahead of "
		                                     "their turn");
	test_outcome_message(out,
	                     "%s differs from the input at byte %zu: expected "
	                     "0x%02x, got 0x%02x%s; %zu bytes in all, %zu "
	                     "expected",
	                     what, i, (unsigned char)want[i],
	                     (unsigned char)got[i], also, (size_t)gtotal, wl);
}

/* What the program checked had to wait for over its window (as the plan's
 * window line sets it), and how. */
static const char *idle_reason(const struct ring_test *rt, bool consumer)
{
	if (consumer && !rt->feed_every && rt->start == START_CONSUMER)
		return "no producer had started yet (the shared object may "
		       "not even have existed), and it ran instead of "
		       "sleeping: pause between looks for the object "
		       "(nanosleep), then wait in sem_wait";
	if (consumer)
		return "the producer was fed slowly and the ring was empty "
		       "most of the time, and it ran instead of sleeping in "
		       "sem_wait";
	if (rt->drain_stall)
		return "the consumer was not reading and the ring was full, "
		       "and it ran instead of sleeping in sem_wait";
	return "it ran instead of sleeping in sem_wait";
}

/* Judge one round; out->status stays TEST_PASSED when it passed. */
static void judge_ended(const struct ring_test *rt, struct round *r,
                        struct test_outcome *out)
{
	struct conduct_report *rep = &r->rep;
	char names[MAX_PRODUCERS + 1][16];
	int nn = 0;

	if (r->res.status == SANDBOX_TIMEOUT && !r->w.hung) {
		out->status = TEST_TIMEOUT;
		test_outcome_message(out,
		                     "the programs did not finish in time "
		                     "(%s)",
		                     r->res.message);
		return;
	}
	if (!rep->complete && !r->w.hung) {
		out->status = run_status(&r->res) == TEST_PASSED
		                  ? TEST_FAILED
		                  : run_status(&r->res);
		test_outcome_message(out,
		                     "the run ended before the grader could "
		                     "report on it (%s)",
		                     r->res.message);
		return;
	}
	for (int k = 0; k < rt->producers; k++)
		snprintf(names[nn++], 16, "P%d", k);
	snprintf(names[nn++], 16, "C");
	for (int i = 0; i < nn; i++) {
		const struct conduct_proc *p = conduct_proc(rep, names[i]);
		const char *who = role(rt, names[i]);
		if (!p || (r->w.hung && p->signaled && p->code == SIGKILL))
			continue; /* ended by the harness: the hang below */
		if (p->signaled) {
			out->status = TEST_CRASHED;
			test_outcome_message(
			    out, "%s was killed by signal %d (SIG%s)%s", who,
			    p->code,
			    sigabbrev_np(p->code) ? sigabbrev_np(p->code) : "?",
			    signal_hint(p->code));
			return;
		}
		if (p->code) {
			out->status = TEST_FAILED;
			test_outcome_message(out, "%s exited with status %d",
			                     who, p->code);
			return;
		}
	}
	if (rt->producers == 1) {
		const struct conduct_data *o = conduct_out(rep, "C");
		char what[64];
		snprintf(what, sizeof(what), "%s's output", role(rt, "C"));
		if (o)
			compare(out, what, r->in[0], r->in_len[0], o->data,
			        o->len, o->total, r->w.hung);
	} else {
		for (int k = 0; k < rt->producers && out->status == TEST_PASSED;
		     k++) {
			const struct conduct_data *f = &rep->files[k];
			char what[64];
			snprintf(what, sizeof(what), "out.%d", k);
			if (f->err && r->w.hung)
				continue;
			if (f->err) {
				out->status = TEST_FAILED;
				test_outcome_message(
				    out,
				    f->err == -ENOENT
				        ? "the consumer left no file out.%d"
				        : "out.%d could not be read (%s)",
				    k, strerror(-f->err));
				return;
			}
			compare(out, what, r->in[k], r->in_len[k], f->data,
			        f->len, f->total, r->w.hung);
		}
	}
	if (out->status != TEST_PASSED)
		return;
	if (rt->cpu_who) {
		/* Every process the program ever had, over the window in
		 * which it had nothing to do (conduct's accounting group). */
		bool consumer = !strcmp(rt->cpu_who, "consumer");
		const char *name = consumer ? "C" : "P0";
		const struct conduct_window *w = conduct_window(rep, name);
		double wall = w ? w->ms / 1000 : 0;
		if (!w || wall <= 0) {
			out->status = TEST_ERROR;
			test_outcome_message(out,
			                     "the %s's CPU time could not be "
			                     "measured over its idle time",
			                     rt->cpu_who);
			return;
		}
		if (w->cpu > rt->cpu_max * wall) {
			out->status = TEST_FAILED;
			test_outcome_message(
			    out,
			    "%s used %.2f s of CPU in the %.2f s it had "
			    "nothing to do (%.0f%%, at most %.0f%% allowed), "
			    "counting every process it started: %s",
			    role(rt, name), w->cpu, wall, 100 * w->cpu / wall,
			    100 * rt->cpu_max, idle_reason(rt, consumer));
			return;
		}
	}
	if (rt->clean && rep->nresidue && !r->w.hung) {
		out->status = TEST_FAILED;
		const char *r0 = rep->residue[0];
		test_outcome_message(
		    out, "left behind after the run: %s (%s)", r0,
		    !strncmp(r0, "/dev/shm/sem.", 13)
		        ? "a named semaphore: sem_unlink it once done"
		    : !strncmp(r0, "a System V", 10)
		        ? "remove it with IPC_RMID once done"
		        : "the consumer must shm_unlink the object it "
		          "leaves");
	}
}

/* A hang is the verdict; what went wrong before it (a program that ended
 * badly on its own, corrupt output) is the likelier cause, so it leads. */
static void judge(const struct ring_test *rt, struct round *r,
                  struct test_outcome *out)
{
	char *m;

	judge_ended(rt, r, out);
	if (!r->w.hung)
		return;
	if (out->status == TEST_PASSED) {
		out->status = TEST_FAILED;
		test_outcome_message(out,
		                     "the programs hang, and the grader ended "
		                     "them after %.1f s: %s",
		                     QUIET_SECONDS, r->w.headline);
	} else {
		m = out->message;
		out->message = NULL;
		test_outcome_message(out, "%s; then the programs hang",
		                     m ? m : "");
		free(m);
	}
	test_outcome_output(out, "%s", r->w.why);
}

static int run_round(const struct grade_ctx *g, const struct test_spec *t,
                     struct round *r, int n, struct test_outcome *out)
{
	static unsigned counter;
	const struct ring_test *rt = r->rt;
	struct conduct_plan plan;
	struct conduct_opts o = { 0 };
	const char *collect[MAX_PRODUCERS + 1] = { NULL };
	char files[MAX_PRODUCERS][16], object[64];
	size_t total = 0;
	int err;

	snprintf(object, sizeof(object), "/ipcgrade-ring-%d-%u", getpid(),
	         ++counter);
	memset(&r->w, 0, sizeof(r->w));
	r->w.lay = &posix_ring_layout;
	snprintf(r->w.object, sizeof(r->w.object), "%s", object);
	for (int k = 0; k < rt->producers; k++)
		total += r->in_len[k];
	if (rt->producers > 1)
		for (int k = 0; k < rt->producers; k++) {
			snprintf(files[k], sizeof(files[k]), "out.%d", k);
			collect[k] = files[k];
		}
	plan_init(&plan);
	build_plan(g, r, object, &plan);
	o.tick = watch_tick;
	o.tick_arg = &r->w;
	o.tick_seconds = 0.02;
	o.collect = collect;
	o.collect_max = total + 65536;
	o.output_bytes = total + (1 << 20);
	err = conduct_run(g, t, &plan, &o, &r->rep, &r->res);
	plan_release(&plan);
	if (err)
		return err;
	out->status = TEST_PASSED;
	judge(rt, r, out);
	if (out->status != TEST_PASSED && rt->rounds > 1) {
		char *m = out->message;
		out->message = NULL;
		test_outcome_message(out, "%s (round %d of %d)", m ? m : "",
		                     n + 1, rt->rounds);
		free(m);
	}
	if (out->status != TEST_PASSED && r->res.err.len)
		test_outcome_output(out,
		                    "%s%swhat the programs wrote to "
		                    "stderr:\n%.2000s",
		                    out->output ? out->output : "",
		                    out->output ? "\n" : "", r->res.err.data);
	return 0;
}

static int ring_run(const struct grade_ctx *g, const struct test_spec *t,
                    struct test_outcome *out)
{
	struct ring_test rt;
	struct round *r = calloc(1, sizeof(*r));
	int err = 0;

	if (!r)
		return -ENOMEM;
	read_test(t->params, &rt);
	r->rt = &rt;
	for (int k = 0; k < rt.producers; k++)
		if (!(r->in[k] = make_input(&rt, test_seed(g, t->id), k,
		                            &r->in_len[k])))
			err = -ENOMEM;
	for (int n = 0; !err && n < rt.rounds; n++) {
		err = run_round(g, t, r, n, out);
		conduct_release(&r->rep);
		sandbox_result_release(&r->res);
		if (out->status != TEST_PASSED)
			break;
	}
	for (int k = 0; k < rt.producers; k++)
		free(r->in[k]);
	free(r);
	return err;
}

const struct driver shmring_driver = {
	.kind = "shmring",
	.keys = ring_keys,
	.check = ring_check,
	.run = ring_run,
};
