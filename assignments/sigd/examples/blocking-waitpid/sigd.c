/* sigd with one bug: the SIGCHLD handler loops on waitpid(-1, &status, 0):
 * while another child still runs it blocks, and SIGUSR1 waits with it. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Set by the handlers, cleared by the main loop (with signals blocked). */
static volatile sig_atomic_t got_usr1; /* handler runs not yet printed */
static volatile sig_atomic_t got_usr2;
static volatile sig_atomic_t got_chld;
static volatile sig_atomic_t got_int;
static volatile sig_atomic_t got_term;

static int count;    /* SIGUSR1 handled so far: only the main loop */
static int children; /* forked and not yet reaped */

static volatile sig_atomic_t reaped_pid[64], reaped_status[64];
static volatile sig_atomic_t nreaped;

static void on_chld(int sig)
{
	int status;
	pid_t pid;

	(void)sig;
	/* BUG: waitpid without WNOHANG waits for children still running */
	while ((pid = waitpid(-1, &status, 0)) > 0 && nreaped < 64) {
		reaped_pid[nreaped] = pid;
		reaped_status[nreaped++] = WIFEXITED(status)
		                               ? WEXITSTATUS(status)
		                               : 128 + WTERMSIG(status);
	}
	got_chld = 1;
}

static void on_signal(int sig)
{
	/* Only async-signal-safe work here: set a flag. SIGUSR1 counts,
	 * since each run of the handler is one more (coalesced) signal. */
	switch (sig) {
	case SIGUSR1:
		got_usr1++;
		break;
	case SIGUSR2:
		got_usr2 = 1;
		break;
	case SIGCHLD:
		got_chld = 1;
		break;
	case SIGINT:
		got_int = 1;
		break;
	case SIGTERM:
		got_term = 1;
		break;
	}
}

static void on_segv(int sig)
{
	static const char msg[] = "Memory access blows up!\n";
	(void)sig;
	/* write(2) and _exit(2) are async-signal-safe; returning would run
	 * the faulting instruction again, forever. */
	if (write(STDOUT_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(2);
	_exit(1);
}

static void install(int sig, void (*fn)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	/* SA_RESTART: a read() interrupted by a handler goes on by itself. */
	sa.sa_flags = SA_RESTART;
	if (sigaction(sig, &sa, NULL) < 0) {
		perror("sigaction");
		exit(1);
	}
}

/* Reap every child that has exited: one SIGCHLD may stand for several. */
static void reap(void)
{
	for (int i = 0; i < nreaped; i++) {
		children--;
		printf("child %d %d\n", (int)reaped_pid[i],
		       (int)reaped_status[i]);
	}
	nreaped = 0;
}

static void spawn(void)
{
	pid_t pid = fork();

	if (pid < 0) {
		perror("fork");
		return;
	}
	if (pid == 0) {
		struct timespec ts = { 0, 100 * 1000 * 1000 };
		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
		_exit(count % 256);
	}
	children++;
	printf("spawn %d\n", (int)pid);
}

/* Print the SIGUSR1 lines: one per handler run, numbered in order. */
static void count_usr1(void)
{
	while (got_usr1 > 0) {
		got_usr1--;
		printf("usr1 %d\n", ++count);
	}
}

/* Wait for every child, printing its line, then say goodbye. */
static void finish(const char *word)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, 0)) > 0)
		printf("child %d %d\n", (int)pid,
		       WIFEXITED(status) ? WEXITSTATUS(status)
		                         : 128 + WTERMSIG(status));
	printf("%s %d\n", word, count);
	exit(0);
}

/* SIGINT: ask, with SIGUSR1 blocked (it stays pending until after). */
static void ask(const sigset_t *during)
{
	char line[128];

	sigprocmask(SIG_SETMASK, during, NULL);
	printf("save? [y/n]\n");
	/* stdin is read only here, so stdio's buffer holds nothing else. */
	if (fgets(line, sizeof(line), stdin) && line[0] == 'y')
		finish("saved");
	printf("continue\n");
}

int main(int argc, char **argv)
{
	static const int sigs[] = { SIGUSR1, SIGUSR2, SIGCHLD, SIGINT,
		                    SIGTERM };
	sigset_t blocked, waiting, prompt;

	/* Every line goes to a pipe: print each at once, not at exit. */
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (argc > 1 && !strcmp(argv[1], "--segv")) {
		volatile int *p = NULL;
		install(SIGSEGV, on_segv);
		*p = 1; /* volatile: the compiler may not drop the store */
		return 0;
	}

	/* Block our signals everywhere but inside sigsuspend(): a signal
	 * can then only arrive while the main loop waits, never between
	 * its checks and the wait (the lost wake-up of a pause() loop). */
	sigemptyset(&blocked);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(*sigs); i++)
		sigaddset(&blocked, sigs[i]);
	sigprocmask(SIG_BLOCK, &blocked, &waiting);
	prompt = waiting;
	sigaddset(&prompt, SIGUSR1);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(*sigs); i++)
		install(sigs[i], sigs[i] == SIGCHLD ? on_chld : on_signal);
	signal(SIGHUP, SIG_IGN);

	printf("ready %d\n", (int)getpid());
	for (;;) {
		while (!got_usr1 && !got_usr2 && !got_chld && !got_int &&
		       !got_term)
			sigsuspend(&waiting); /* unblocks, waits, re-blocks */
		count_usr1();
		if (got_chld) {
			got_chld = 0;
			reap();
		}
		if (got_usr2) {
			got_usr2 = 0;
			spawn();
		}
		if (got_int) {
			got_int = 0;
			ask(&prompt);
			sigprocmask(SIG_SETMASK, &blocked, NULL);
		}
		if (got_term)
			finish("bye");
	}
}
