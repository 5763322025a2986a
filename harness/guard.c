/*
 * guard.c - one grading in a child, ended cleanly on an interrupt. See
 * guard.h.
 */
#include "guard.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fsutil.h"
#include "slot.h"

int guard_run(int (*fn)(void *arg), void *arg)
{
	char *tmp = NULL;
	sigset_t mask, old;
	pid_t parent = getpid(), pid;
	int status = 0, sig = 0, rc;

	if ((rc = fs_make_tempdir("ipcgrade-run", &tmp)))
		return rc;
	chmod(tmp, 0711);
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, &old);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		/* The parent decides what an interrupt means; if it dies,
		 * so do we, and the sandbox's keeper after us. */
		signal(SIGINT, SIG_IGN);
		signal(SIGHUP, SIG_IGN);
		sigprocmask(SIG_SETMASK, &old, NULL);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(70);
		setenv("TMPDIR", tmp, 1);
		rc = fn(arg);
		fflush(NULL);
		_exit(rc & 0xff);
	}
	if (pid < 0) {
		rc = -errno;
	} else {
		while ((sig = sigwaitinfo(&mask, NULL)) != SIGCHLD &&
		       (sig < 0 && errno == EINTR))
			;
		if (sig != SIGCHLD)
			kill(pid, SIGKILL);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		rc = sig != SIGCHLD      ? GUARD_INTERRUPTED
		     : WIFEXITED(status) ? WEXITSTATUS(status)
		                         : -ECHILD; /* it crashed */
		if (rc == GUARD_INTERRUPTED || rc == -ECHILD)
			/* Killed mid-run: what its sandboxes left. */
			slot_sweep_abandoned();
	}
	/* Interrupts that came meanwhile are spent: drop them. */
	{
		struct timespec zero = { 0, 0 };
		while (sigtimedwait(&mask, NULL, &zero) > 0)
			;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	fs_remove_tree(tmp);
	free(tmp);
	return rc;
}
