/* i386 getpid through int 0x80 from a 64-bit binary (row 30). */
/* Contained either way: the filter stops the 32-bit call (a violation), or
 * on a host without the 32-bit entry (ia32_emulation=0, some hypervisors)
 * the instruction itself faults before any system call is made. The
 * SIGSEGV handler tells that fault apart from any other and says so. */
#include <signal.h>
#include <ucontext.h>

#include "hostile.h"

extern const char int80_insn[];

static void on_segv(int sig, siginfo_t *si, void *ctx)
{
	static const char msg[] = "int 0x80 faulted at the instruction "
	                          "(SIGSEGV, rax unchanged): no system call\n";
	const ucontext_t *uc = ctx;
	const greg_t *r = uc->uc_mcontext.gregs;

	(void)si;
	/* The fault is ours when it stopped at the instruction (or just past
	 * its two bytes) with the call number still in rax: the kernel never
	 * ran the call, which would have put its result there. */
	if ((r[REG_RIP] == (greg_t)int80_insn ||
	     r[REG_RIP] == (greg_t)int80_insn + 2) &&
	    r[REG_RAX] == 20 && write(1, msg, sizeof(msg) - 1) < 0)
		_exit(HOSTILE_BROKEN);
	signal(sig, SIG_DFL);
	raise(sig);
}

int main(void)
{
	struct sigaction sa = { .sa_sigaction = on_segv,
		                .sa_flags = SA_SIGINFO };
	long rc = 20; /* __NR_getpid on i386 */

	hostile_refuse_root();
	sigaction(SIGSEGV, &sa, NULL);
	__asm__ volatile(".globl int80_insn\n"
	                 "int80_insn: int $0x80"
	                 : "+a"(rc)
	                 :
	                 : "memory");
	return not_killed("int 0x80 getpid", rc);
}
