/*
 * sandbox.h - run one untrusted program (and its whole process tree) isolated.
 *
 * Fill a struct sandbox_config (start from SANDBOX_CONFIG_INIT), call
 * sandbox_run(), read the struct sandbox_result, then sandbox_result_release().
 * A program that crashes, hangs or breaks a rule is a *result*; a negative
 * return means the sandbox itself failed (never blame the program for that).
 */
#ifndef SANDBOX_SANDBOX_H
#define SANDBOX_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "capture.h"
#include "probe.h"

/* How a run ended, most specific first; stable names in sandbox_status_name. */
enum sandbox_status {
	SANDBOX_EXITED,        /* exit_code is valid */
	SANDBOX_SIGNALED,      /* killed by `signal` (not one of ours) */
	SANDBOX_TIMEOUT,       /* CPU time (timeout_cpu) or wall time */
	SANDBOX_MEMORY_LIMIT,  /* out of memory in the sandbox */
	SANDBOX_OUTPUT_LIMIT,  /* stdout+stderr exceeded limits.output_bytes */
	SANDBOX_FILE_LIMIT,    /* a file grew past limits.file_bytes */
	SANDBOX_PROCESS_LIMIT, /* hit limits.processes and did not succeed */
	SANDBOX_VIOLATION,     /* forbidden system call; `syscall` names it */
	SANDBOX_EXEC_FAILED,   /* the command could not be executed */
	SANDBOX_STOPPED,       /* ended early by the caller's tick hook */
	SANDBOX_ERROR,         /* the sandbox failed; see message */
};

struct sandbox_limits {
	double cpu_seconds;    /* CPU of the whole tree, not per process */
	double wall_seconds;   /* 0: 2 * cpu_seconds + 1 */
	uint64_t memory_bytes; /* whole tree where a cgroup exists */
	unsigned processes;    /* processes + threads at once */
	uint64_t file_bytes;   /* largest file that may be written */
	unsigned open_files;   /* per process */
	size_t output_bytes;   /* stdout + stderr; over it the run ends */
	uint64_t tmpfs_bytes;  /* size of the private /tmp and /dev/shm */
};

/* What a tick hook sees while the program runs (every 5 to 50 ms). */
struct sandbox_tick {
	uid_t uid;          /* every process of the run has it */
	pid_t keeper;       /* the run's reaper (host pid) */
	pid_t main;         /* the program (host pid), whether it still runs
	                       or has ended; 0: not known */
	double elapsed;     /* wall seconds since the start */
	uint64_t stdin_fed; /* bytes written to the program so far */
	uint64_t output;    /* bytes of stdout + stderr so far */
	bool last;          /* the program ended: a last look at what it
	                       left running, before it is killed */
};

/* Defaults: 10 s CPU, 256 MiB, 64 processes, 16 MiB files, 256 fds, 1 MiB
 * output, 64 MiB tmpfs. */
extern const struct sandbox_limits sandbox_default_limits;

struct sandbox_config {
	/* What to run: argv[0] is a path or a name looked up in the PATH of
	 * the sandbox's environment; NULL-terminated. */
	const char *const *argv;
	/* The file to run, when argv[0] should not say where it is (other
	 * processes can read a command line): an absolute path; NULL: argv[0].
	 */
	const char *exec;
	const char *const *env; /* extra "K=V" entries, NULL-terminated */
	const char *workdir;    /* cwd, read-write; NULL: a fresh temp dir */
	bool chown_workdir;     /* give workdir's tree to the run's uid */
	/* Paths the program cannot read: empty mounts in the full tier,
	 * Landlock (no read or execute) in the basic tier. */
	const char *const *hide;
	/* "net/NAME=VALUE" sysctls of the run's own network namespace (full
	 * tier only; the basic tier shares the host's and ignores them),
	 * NULL-terminated; e.g. "net/ipv4/tcp_rmem=4096 8192 16384". */
	const char *const *net_sysctls;

	const char *policy; /* seccomp policy name; NULL: "ipc" */
	/* stderr is not graded (chatter): it is kept, head and tail, for the
	 * report, but only stdout counts toward limits.output_bytes. */
	bool stderr_chatter;
	/* When the program exits leaving processes that still hold its
	 * stdout or stderr, the run goes on until they close them (or the
	 * wall limit): their output is the program's. Leftovers are counted
	 * as the program exits, and killed once its output is closed. */
	bool linger;
	/* The program is one of the harness's probes, trusted, which runs
	 * other programs: it gets the keeper's witness (witness.h: what the
	 * kernel says of the run's processes, CPU by group) as fd
	 * WITNESS_FD, and the run's processes are counted in a CPU
	 * accounting cgroup where one can be made. */
	bool witness;
	/* With witness: the probe installs the run's policy itself on each
	 * program it starts, with its own listener (the witness gives it the
	 * filter), so that it can see the calls it watches; the run's own
	 * filter then has no listener, and a forbidden call of the probe
	 * fails with ENOSYS. */
	bool probe_listens;
	enum sandbox_tier tier; /* TIER_AUTO picks the strongest */
	struct sandbox_limits limits;
	int slot; /* uid slot; -1: take a free one */

	/* stdin: bytes fed by the supervisor (may be NULL), or a file. */
	const void *stdin_data;
	size_t stdin_len;
	const char *stdin_path;

	/* Optional: called at every sample; a non-zero return ends the run
	 * with SANDBOX_STOPPED (a grader saw enough, e.g. a deadlock). */
	int (*tick)(void *arg, const struct sandbox_tick *t);
	void *tick_arg;
	double tick_seconds; /* longest time between samples; 0: 50 ms */
};

/* clang-format off */
#define SANDBOX_CONFIG_INIT { .tier = TIER_AUTO, .slot = -1, \
			      .limits = { 0 } }
/* clang-format on */

struct sandbox_result {
	enum sandbox_status status;
	int exit_code;       /* SANDBOX_EXITED */
	int signal;          /* the signal that ended it, or 0 */
	bool timeout_cpu;    /* SANDBOX_TIMEOUT: CPU (true) or wall */
	char syscall[32];    /* SANDBOX_VIOLATION: the call, "" unknown */
	char syscall_abi[8]; /* "i386" or "x32" when it came through another
	                        ABI than the native one (int 0x80, say) */
	char message[512];   /* one line, human readable */

	double cpu_seconds; /* whole tree */
	double wall_seconds;
	uint64_t peak_memory_bytes;
	unsigned peak_processes;
	bool hit_processes;          /* the process limit was reached */
	unsigned leftover_processes; /* alive or unreaped when main ended */
	/* Minor faults of the program and of every child it waited for (its
	 * wait4 rusage): a child it never waited for adds none. */
	unsigned long main_minflt;
	unsigned swept_ipc; /* IPC objects removed after the run */

	enum sandbox_tier tier;
	char layers[160];   /* space-separated isolation layers used */
	const char *policy; /* borrowed static name */
	uid_t uid;          /* uid the program ran as */

	struct capture out, err;
};

/* Run cfg->argv under isolation and fill *res. Returns 0 (whatever the
 * program did) or -errno when the sandbox could not do its job; then
 * res->message says why. Release res with sandbox_result_release(). */
int sandbox_run(const struct sandbox_config *cfg, struct sandbox_result *res);

void sandbox_result_release(struct sandbox_result *res);

/* A forbidden call (nr, audit arch) that a probe of the run caught with
 * its own listener (cfg->probe_listens): res becomes that violation,
 * named as the sandbox names its own. */
void sandbox_violation(struct sandbox_result *res, int nr, uint32_t arch);

/* Stable lower-case names: "exited", "timeout", "memory_limit", ... */
const char *sandbox_status_name(enum sandbox_status s);

/* Limits with every zero field of *l replaced by its default. */
struct sandbox_limits sandbox_limits_fill(const struct sandbox_limits *l);

#endif
