/*
 * netprobe.h - the parts of the netprobe program (graders/probes/netprobe.c):
 * run.c reads the plan, starts the server and reports the verdict; conn.c
 * drives the probe's own client connections. Everything here runs inside
 * the sandbox; verdict() and die() end the program.
 */
#ifndef GRADERS_PROBES_NETPROBE_H
#define GRADERS_PROBES_NETPROBE_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../probe.h"

#define MAX_CONNS 64
#define MIB       (1u << 20)

/* What the plan asked for (read_plan() fills it). */
struct net_plan {
	int server_fd, client_fd; /* O_PATH descriptors of the programs */
	char check[32];
	char server_who[16], client_who[16]; /* "student" / "reference" */
	long bytes, clients, conns, stall_ms;
	long cpu_limit_ms;  /* the test's CPU limit, the whole run's */
	long wall_limit_ms; /* and its wall-clock limit */
	int first_port, last_port;
	uint64_t seed; /* the data's: contents and sizes */
};

extern struct net_plan plan;
extern pid_t server;      /* the server, once started */
extern int server_status; /* its wait status, once server_gone */
extern bool server_gone;
extern int port; /* the port it was given */

/*** run.c ***/

void read_plan(void);
/* Report the verdict ("passed", "failed", ...), then "end"; exits. */
void verdict(const char *status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));
/* The check passed; exits. */
void passed(void) __attribute__((noreturn));
/* The probe itself failed (exit 100: the harness's error). */
/* len bytes drawn from the plan's seed and this stream's number: short
 * text lines, or binary with NULs. */
unsigned char *make_data(size_t len, uint64_t seed, bool binary);
/* A size near base (up to a sixteenth more), drawn from the seed. */
size_t drawn_size(size_t base);
const char *who_server(void);
const char *who_client(void);
void describe_end(int st, char *out, size_t n);
const char *signal_hint(int st);
bool server_alive(void);
/* Fails the check when the server has ended ("... when"). */
void require_server(const char *when);
/* Run program exe (an O_PATH fd) in its own process group; -1 for in,
 * out, err: /dev/null, then the chatter pipe (read and kept in part,
 * not graded) for both. */
pid_t spawn(int exe, const char *const *argv, int in, int out, int err);
int free_port(int skip);
/* The write end of the chatter pipe: its size and head go with a failing
 * verdict ("chatter BYTES HEAD"). */
int chatter_fd(void);
/* A blocking connected socket to 127.0.0.1:p, or -1. */
int connect_to(int p);
/* Start the server on a free port; returns once it accepts. */
void start_server(void);

/* The programs: every process of ours but the probe (the server and
 * whatever it started). */
struct scan {
	double cpu;   /* seconds, user + system */
	int fds;      /* open descriptors of the live ones, summed */
	int sockets;  /* of them, sockets */
	int main_fds; /* the server's own (its main process) */
	int procs;    /* live processes */
	int zombies;  /* ended and not reaped by their parent */
};

struct scan programs_scan(void);
/* The server's main thread sleeps in a system call (accept(), poll()...):
 * a signal now finds it where its loop can see the flag it sets. */
bool server_waiting(void);
/* A thread of the server (or of a process it started) sleeps in a write
 * to a socket: its peer does not read. */
bool server_blocked_writing(void);
/* Every task of every process of the run (not the probe) is asleep. */
bool programs_asleep(void);
/* The process that holds the server's end of connection fd (our socket
 * to the server), found through the kernel; 0 when none is seen. */
pid_t serving_process(int fd);
/* How process pid ended, as waitpid says, once it is a zombie within ms;
 * -1 when it is gone (reaped) or still runs. */
int ended_as(pid_t pid, double ms);

/*** client.c: the checks of a client ***/

void check_stdio(void) __attribute__((noreturn));
void check_refused(void) __attribute__((noreturn));

/*** guard.c ***/

/* Stop spinning processes the server started (but in flow, which
 * measures their CPU), and end the check with on_cpu_out() when the run
 * is running out of CPU; rate-limited, call it often. */
void guard_tick(void);
/* The default on_cpu_out: a verdict that says the test could not be
 * finished, and where the CPU went. A check that can still judge its
 * property from what it has seen sets its own. */
void cpu_out_verdict(void) __attribute__((noreturn));
extern void (*on_cpu_out)(void);
/* "guarded N" and "stopped DESCRIPTION" lines for the report. */
void guard_report(void);
/* The run has used most of its CPU or its time (60% of plan.cpu_limit_ms
 * or of plan.wall_limit_ms): a test should stop and say what it could
 * judge. */
bool cpu_running_out(void);
/* What ran out, for a message: "its CPU nearly spent (6.1 s of 10.0 s)"
 * or "its time nearly spent (18.2 s of 30.0 s)". */
const char *budget_spent(void);
#define CPU_SNAP_MAX 256
struct cpu_snap {
	int pid[CPU_SNAP_MAX];
	double cpu[CPU_SNAP_MAX];
	int n;
};
/* Each live process's CPU so far. */
void cpu_snapshot(struct cpu_snap *s);
/* The process that used the most CPU since before (NULL: in all), as
 * "pid 12, forked by the server (pid 10), ..."; false when none did. */
bool cpu_top(const struct cpu_snap *before, char *out, size_t n);

/*** conn.c ***/

struct conn {
	int fd;
	const unsigned char *out; /* what to send; the echo must equal it */
	size_t len, sent, got;
	size_t window;   /* most bytes sent and not yet echoed; 0: any */
	long every_ms;   /* send one byte per every_ms (0: at once) */
	double next;     /* when the next paced byte may go */
	bool reading;    /* read now (false: leave the echo in the kernel) */
	bool shut_after; /* shutdown(SHUT_WR) once all is sent */
	bool shut, eof, bad;
	size_t bad_at;
	unsigned char saw;
	unsigned char after[64]; /* what came from bad_at on */
	size_t nafter;
	int err; /* errno of a failed read or write */
	double done_at;
};

/* Connect to the server (or fail the check) to send out[0..len). */
void conn_open(struct conn *c, const unsigned char *out, size_t len);
void conn_close(struct conn *c);
/* Nothing more will happen on it (finished, failed, or closed). */
bool conn_done(const struct conn *c);
/* Done as it should be: every byte echoed, and closed if shut. */
bool conn_ok(const struct conn *c);
/* Move data until every connection is done or ms pass (or until()
 * says stop); true when every one is done and ok. */
bool pump(struct conn *cs, int n, double ms, bool (*until)(void));
/* How many bytes of what was sent the echo skipped at bad_at, when what
 * came instead is found once, further on; 0 when it is not. */
size_t conn_dropped(const struct conn *c);
/* Fail the check with why c is not ok; what names it. */
void fail_conn(const struct conn *c, const char *what, double ms)
    __attribute__((noreturn));

/*** relay.c: between a client under test and the server ***/

struct relay {
	int lfd, c, s, port;
	unsigned char up[16384], down[16384]; /* client->server, back */
	size_t uplen, downlen;
	bool connected, c_eof, s_eof, up_shut, down_shut;
	const unsigned char *want; /* what the client must send */
	size_t want_len, sent;
	bool bad;
	size_t bad_at;
	size_t held;      /* the echo's last bytes, withheld until the
	                     client's end-of-file (RELAY_HELD) */
	size_t delivered; /* echo bytes passed on to the client */
	size_t at_eof;    /* delivered when its end-of-file came */
};

/* The last bytes of the echo come only once the client has shut down its
 * write side, as a server may well do: a client that waits for the whole
 * echo first, or leaves after a silence, shows it on every run. */
#define RELAY_HELD 1

/* Listen on a free port of ours for the client, which must send want. */
void relay_open(struct relay *r, const unsigned char *want, size_t len);
/* What to poll now (at most 3); after poll, relay_step() moves data. */
int relay_fds(const struct relay *r, struct pollfd *pf);
void relay_step(struct relay *r);
void relay_close(struct relay *r);

#endif
