/* A SIGSYS handler, then a forbidden call: still a violation (row 39). */
#include <signal.h>
#include <sys/ptrace.h>

#include "hostile.h"

static void on_sigsys(int sig, siginfo_t *si, void *ctx)
{
	static const char msg[] = "caught SIGSYS and survived\n";

	if (write(1, msg, sizeof(msg) - 1) < 0)
		_exit(HOSTILE_ESCAPED);
	_exit(HOSTILE_ESCAPED);
}

int main(void)
{
	struct sigaction sa = { .sa_sigaction = on_sigsys,
		                .sa_flags = SA_SIGINFO };

	hostile_refuse_root();
	if (sigaction(SIGSYS, &sa, NULL) < 0)
		return HOSTILE_BROKEN;
	report("SIGSYS handler installed");
	return not_killed("ptrace(PTRACE_TRACEME)",
	                  ptrace(PTRACE_TRACEME, 0, NULL, NULL));
}
