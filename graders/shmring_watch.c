/*
 * shmring_watch.c - the watch over a shmring run (shmring_watch.h): who
 * sleeps on which semaphore, the ring's header, and the hang's
 * explanation, from the kernel and the mapping alone.
 */
#include "shmring_watch.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "proc.h"

static void label_of(const char *exe, const char *cmdline, size_t cl_len,
                     char *out, size_t n)
{
	const char *bin = strstr(exe, "/.bin/");
	char prog[32] = "";
	const char *who;

	if (!bin)
		return;
	bin += 6;
	who = bin[0] == 's' ? "student" : "reference";
	sscanf(bin + 2, "%31[a-z_]", prog);
	/* "-i K" or "-p P" shows which of several it is */
	for (size_t i = 0; i + 3 < cl_len; i++) {
		if (cmdline[i] == '\0' && cmdline[i + 1] == '-' &&
		    (cmdline[i + 2] == 'i' || cmdline[i + 2] == 'p') &&
		    cmdline[i + 3] == '\0' && i + 4 < cl_len) {
			snprintf(out, n, "the %s %s -%c %.8s", who, prog,
			         cmdline[i + 2], cmdline + i + 4);
			return;
		}
	}
	snprintf(out, n, "the %s %s", who, prog);
}

/* Where the object is mapped in pid: start address and file offset. */
static bool find_mapping(pid_t pid, const char *object, unsigned long *start,
                         unsigned long *end, unsigned long *off)
{
	char path[64], line[512], want[80];
	FILE *f;
	bool found = false;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	snprintf(want, sizeof(want), "/dev/shm%s", object);
	if (!(f = fopen(path, "re")))
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		char *name = strchr(line, '/');
		size_t l = strlen(want);
		if (name && !strncmp(name, want, l) &&
		    (name[l] == '\n' || name[l] == ' ') &&
		    sscanf(line, "%lx-%lx %*s %lx", start, end, off) == 3)
			found = true;
	}
	fclose(f);
	return found;
}

static void sample_member(struct watch *w, struct member *m,
                          const struct proc_info *pi)
{
	char path[64], buf[512];
	unsigned long start, end, off, nr, a0;

	m->sem = -1;
	snprintf(m->wait, sizeof(m->wait), "%s", proc_waiting_for(pi));
	snprintf(path, sizeof(path), "/proc/%d/stat", m->pid);
	if (proc_read_small(path, buf, sizeof(buf)) > 0) {
		char *p = strrchr(buf, ')');
		unsigned long ut = 0, st = 0;
		if (p && sscanf(p + 2,
		                "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
		                "%lu %lu",
		                &ut, &st) == 2)
			m->cpu =
			    (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
	}
	if (!find_mapping(m->pid, w->object, &start, &end, &off))
		start = end = 0;
	else if (!w->have_ring) {
		int fd;
		snprintf(path, sizeof(path), "/proc/%d/mem", m->pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0 && off == 0 &&
		    pread(fd, w->ring, w->lay->header, (off_t)start) ==
		        (ssize_t)w->lay->header)
			w->have_ring = true;
		if (fd >= 0)
			close(fd);
	}
	if (pi->state != 'S' && pi->state != 'D')
		return;
	snprintf(path, sizeof(path), "/proc/%d/syscall", m->pid);
	if (proc_read_small(path, buf, sizeof(buf)) <= 0 ||
	    sscanf(buf, "%lu %lx", &nr, &a0) != 2 || nr != SYS_futex)
		return;
	m->sem = -2;
	if (a0 >= start && a0 < end) {
		int f = ring_field_at(w->lay, a0 - start + off);
		if (f >= 0)
			m->sem = f;
	}
}

/* "the student consumer (pid 12) waits in sem_wait on 'full' (0), ..." */
static void headline(struct watch *w)
{
	size_t len = 0;

	w->headline[0] = '\0';
	for (int i = 0; i < w->nm && len < sizeof(w->headline); i++) {
		const struct member *m = &w->m[i];
		struct ring_sem s;
		int k;
		if (m->gone)
			continue;
		if (m->sem >= 0 && w->have_ring &&
		    ring_sem_read(w->lay, w->ring, m->sem, &s) == 0)
			k = snprintf(w->headline + len,
			             sizeof(w->headline) - len,
			             "%s%s (pid %d) waits in sem_wait on '%s' "
			             "(value %u)",
			             len ? ", " : "", m->label, m->pid,
			             w->lay->fields[m->sem].name, s.value);
		else
			k = snprintf(w->headline + len,
			             sizeof(w->headline) - len,
			             "%s%s (pid %d) is %s", len ? ", " : "",
			             m->label, m->pid,
			             m->sem == -2 ? "waiting on a private lock"
			                          : m->wait);
		if (k > 0)
			len += (size_t)k;
	}
}

/* Explain the hang from what each program waits on and the ring. */
static void explain(struct watch *w)
{
	char *p = w->why, *end = w->why + sizeof(w->why);
	bool producer_left = false, consumer_left = false;
	int waiting_posted = -1, pshared0 = -1;
	int prod_sem = -1, cons_sem = -1; /* what each role waits on */

#define ADD(...)                                                               \
	do {                                                                   \
		int n_ = snprintf(p, (size_t)(end - p), __VA_ARGS__);          \
		if (n_ > 0 && p + n_ < end)                                    \
			p += n_;                                               \
	} while (0)

	ADD("the programs hang: every one left is blocked and nothing has "
	    "moved for %.1f s.\n",
	    QUIET_SECONDS);
	headline(w);
	for (int i = 0; i < w->nm; i++) {
		struct member *m = &w->m[i];
		if (m->gone) {
			ADD("  %s has exited\n", m->label);
			continue;
		}
		if (strstr(m->label, "producer")) {
			producer_left = true;
			if (prod_sem < 0)
				prod_sem = m->sem;
		} else {
			consumer_left = true;
			if (cons_sem < 0)
				cons_sem = m->sem;
		}
		if (m->sem >= 0) {
			struct ring_sem s;
			ring_sem_read(w->lay, w->ring, m->sem, &s);
			ADD("  %s (pid %d) waits in sem_wait on '%s' "
			    "(value %u)\n",
			    m->label, m->pid, w->lay->fields[m->sem].name,
			    s.value);
			if (s.value > 0)
				waiting_posted = m->sem;
		} else if (m->sem == -2) {
			ADD("  %s (pid %d) waits on a futex outside the "
			    "shared object (a private lock or semaphore)\n",
			    m->label, m->pid);
		} else {
			ADD("  %s (pid %d) is %s\n", m->label, m->pid, m->wait);
		}
	}
	if (w->have_ring) {
		ADD("  the ring: ");
		p += ring_describe(w->lay, w->ring, p, (size_t)(end - p));
		ADD("\n");
		/* Only a semaphore someone sleeps on explains the hang. */
		for (int i = 0; i < w->nm; i++) {
			struct ring_sem s;
			const struct member *m = &w->m[i];
			if (!m->gone && m->sem >= 0 &&
			    ring_sem_read(w->lay, w->ring, m->sem, &s) == 0 &&
			    s.private_ && pshared0 < 0)
				pshared0 = m->sem;
		}
	} else {
		ADD("  no program has the object %s mapped\n", w->object);
	}
	if (pshared0 >= 0)
		ADD("'%s' is not shared between processes (initialised with "
		    "pshared = 0, sem_init(&s, 0, n), or never initialised): a "
		    "sem_post in one process does not wake a sem_wait in "
		    "another. Use sem_init(&s, 1, n).",
		    w->lay->fields[pshared0].name);
	else if (waiting_posted >= 0)
		ADD("'%s' has a value above 0 and still a process sleeps on "
		    "it: the post did not wake it.",
		    w->lay->fields[waiting_posted].name);
	else if (!consumer_left && prod_sem >= 0)
		ADD("No consumer is left, and the producer waits on '%s', "
		    "which only the consumer would post.",
		    w->lay->fields[prod_sem].name);
	else if (!producer_left && cons_sem >= 0 &&
	         !strcmp(w->lay->fields[cons_sem].name, "full"))
		ADD("Every producer has exited, and the consumer waits on "
		    "'full' for another record: a producer ended without "
		    "writing its end marker (a slot with len 0), or the "
		    "consumer did not stop at it.");
	else if (prod_sem >= 0 && cons_sem >= 0 &&
	         (!strcmp(w->lay->fields[prod_sem].name, "mutex") ||
	          !strcmp(w->lay->fields[cons_sem].name, "mutex")))
		ADD("One of them waits on 'mutex' while the other, which "
		    "holds it, waits on '%s': take the mutex only after "
		    "sem_wait on 'empty' or 'full', never before.",
		    w->lay
		        ->fields[strcmp(w->lay->fields[prod_sem].name, "mutex")
		                     ? prod_sem
		                     : cons_sem]
		        .name);
	else if (prod_sem >= 0 && cons_sem >= 0 &&
	         !strcmp(w->lay->fields[prod_sem].name, "empty") &&
	         !strcmp(w->lay->fields[cons_sem].name, "full"))
		ADD("The producer waits on 'empty' for a free slot while the "
		    "consumer waits on 'full' for a filled one: every "
		    "sem_wait(empty) must be matched by a sem_post(full), "
		    "and the reverse.");
#undef ADD
}

int watch_tick(void *arg, const struct sandbox_tick *t)
{
	struct watch *w = arg;
	static struct proc_snapshot snap;
	uint64_t sig = 1469598103934665603ULL;
	bool all_blocked = true;
	int live = 0;

	if (w->hung || proc_snapshot(t->uid, &snap) < 0)
		return 0;
	for (int i = 0; i < w->nm; i++)
		w->m[i].gone = true;
	w->have_ring = false;
	for (int i = 0; i < snap.n; i++) {
		struct proc_info *pi = &snap.p[i];
		char path[64], exe[512], cl[256];
		ssize_t k, c;
		struct member *m = NULL;

		snprintf(path, sizeof(path), "/proc/%d/exe", pi->pid);
		k = readlink(path, exe, sizeof(exe) - 1);
		if (k <= 0)
			continue;
		exe[k] = '\0';
		if (!strstr(exe, "/.bin/")) {
			/* the conductor, or what a program ran: it must be
			 * asleep too, not holding anything back on purpose,
			 * and what it moves is progress */
			if (pi->state != 'S' || strstr(pi->comm, "-hold"))
				all_blocked = false;
			sig = (sig ^ pi->io) * 1099511628211ULL;
			continue;
		}
		for (int j = 0; j < w->nm; j++)
			if (w->m[j].pid == pi->pid)
				m = &w->m[j];
		if (!m && w->nm < (int)(sizeof(w->m) / sizeof(*w->m))) {
			m = &w->m[w->nm++];
			memset(m, 0, sizeof(*m));
			m->pid = pi->pid;
			snprintf(path, sizeof(path), "/proc/%d/cmdline",
			         pi->pid);
			c = proc_read_small(path, cl, sizeof(cl));
			label_of(exe, cl, c > 0 ? (size_t)c : 0, m->label,
			         sizeof(m->label));
		}
		if (!m)
			continue;
		m->gone = pi->state == 'Z';
		if (m->gone)
			continue;
		live++;
		sample_member(w, m, pi);
		if (m->sem == -1)
			all_blocked = false;
		sig = (sig ^ (uint64_t)pi->pid) * 1099511628211ULL;
		sig = (sig ^ pi->io) * 1099511628211ULL;
		sig = (sig ^ (uint64_t)(m->cpu * 1000)) * 1099511628211ULL;
		sig = (sig ^ (uint64_t)pi->state) * 1099511628211ULL;
	}
	if (w->have_ring)
		for (size_t i = 0; i < w->lay->header; i++)
			sig = (sig ^ w->ring[i]) * 1099511628211ULL;
	if (!live || !all_blocked || sig != w->last_sig) {
		w->last_sig = sig;
		w->quiet = 0;
		w->quiet_since = t->elapsed;
		return 0;
	}
	if (++w->quiet < QUIET_SAMPLES ||
	    t->elapsed - w->quiet_since < QUIET_SECONDS)
		return 0;
	w->hung = true;
	explain(w);
	/* End the programs, not the run: the conductor then reports how
	 * each of the others ended, which often says why. */
	for (int i = 0; i < w->nm; i++)
		if (!w->m[i].gone)
			kill(w->m[i].pid, SIGKILL);
	return 0;
}
