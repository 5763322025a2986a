/*
 * hostile.h - conventions shared by the malicious-submission corpus.
 *
 * Each program calls hostile_refuse_root() first, tries one attack, says
 * what it saw with report(), and exits HOSTILE_CONTAINED when the attack
 * failed as the sandbox promises or HOSTILE_ESCAPED when it worked.
 * These programs are hostile: run them only through sandbox_run().
 */
#ifndef HOSTILE_HOSTILE_H
#define HOSTILE_HOSTILE_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HOSTILE_CONTAINED 0  /* the attack failed the expected way */
#define HOSTILE_ESCAPED   3  /* the attack worked: the check fails */
#define HOSTILE_ODD       4  /* it failed, but not the way the sandbox says */
#define HOSTILE_BROKEN    5  /* something a lab legitimately needs failed */
#define HOSTILE_REFUSED   99 /* started as root: the sandbox did not drop it */

/* Print one line saying what was observed, e.g. "socket(AF_NETLINK) ->
 * EAFNOSUPPORT". Goes to stdout, which the suite shows on failure. */
__attribute__((format(printf, 1, 2))) static inline void report(const char *fmt,
                                                                ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* Refuse to do anything as root: kill(-1) or a fork bomb as root would
 * take the whole machine down. The suite treats exit 99 as a failure. */
static inline void hostile_refuse_root(void)
{
	static const char msg[] = "hostile: refusing to run as root\n";

	if (getuid() == 0 || geteuid() == 0) {
		if (write(2, msg, sizeof(msg) - 1) < 0)
			_exit(HOSTILE_REFUSED);
		_exit(HOSTILE_REFUSED);
	}
}

/* "EPERM" for EPERM; never NULL. */
static inline const char *errname(int e)
{
	const char *s = strerrorname_np(e);

	return s ? s : "E?";
}

/* The suite passes HOSTILE_TIER=full|basic; some gaps are known (and
 * documented) in the basic tier only. */
static inline bool hostile_tier_is_basic(void)
{
	const char *t = getenv("HOSTILE_TIER");

	return t && strcmp(t, "basic") == 0;
}

/* Check a call that must fail with errno e1 or e2 (0: only e1). Success
 * is an escape; another errno is odd. Returns only when contained. */
static inline void expect_errno(const char *what, long rc, int e1, int e2)
{
	int e = errno;

	if (rc >= 0) {
		report("%s -> %ld: succeeded", what, rc);
		exit(HOSTILE_ESCAPED);
	}
	if (e != e1 && (e2 == 0 || e != e2)) {
		report("%s -> %s, expected %s", what, errname(e), errname(e1));
		exit(HOSTILE_ODD);
	}
	report("%s -> %s", what, errname(e));
}

/* Call after a system call that the policy must answer by killing the
 * process: reaching this line means it did not. */
static inline int not_killed(const char *what, long rc)
{
	if (rc < 0)
		report("%s -> %s: refused but not killed", what,
		       errname(errno));
	else
		report("%s -> %ld: allowed", what, rc);
	return rc < 0 ? HOSTILE_ODD : HOSTILE_ESCAPED;
}

#endif
