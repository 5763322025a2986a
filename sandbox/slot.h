/*
 * slot.h - one uid per concurrently running sandbox, across processes.
 *
 * slot_acquire(want, &s) locks slot `want` (or the first free one when
 * want < 0) with flock(), so two ipcgrade processes never share a uid;
 * slot_release() unlocks. The uid of slot n is SLOT_UID_BASE + n.
 */
#ifndef SANDBOX_SLOT_H
#define SANDBOX_SLOT_H

#include <stdbool.h>
#include <sys/types.h>

#define SLOT_UID_BASE 61000
#define SLOT_COUNT    256

/* TCP ports a run may listen on: its own namespace's in the full tier,
 * its slot's share of the host's below the ephemeral range (32768) in the
 * basic tier, so that parallel runs never collide. */
#define SLOT_PORT_BASE  20000
#define SLOT_PORT_COUNT 40

struct slot {
	int index;
	uid_t uid;
	int lock_fd;
};

/* Returns 0, -EBUSY (that slot or every slot taken) or -errno. Processes
 * or IPC objects a crashed earlier run left under the uid are removed. */
int slot_acquire(int want, struct slot *s);
void slot_release(struct slot *s);

/* The first and last port of the slot's range; shared_net: the run shares
 * the host's network (basic tier), else slot 0's range in its own. */
void slot_ports(const struct slot *s, bool shared_net, int *first, int *last);

/* Sweep every slot a killed run left marked busy and nobody holds now
 * (what slot_acquire() would do on its next use). Returns how many. */
unsigned slot_sweep_abandoned(void);

/* The root-owned directory (mode 0711) holding the locks, the empty "root"
 * mount point of full-tier sandboxes and the slots' default work dirs;
 * NULL when none is usable. */
const char *slot_state_dir(void);

/* The slot's own work dir, <state>/work/N, made if missing, owned by the
 * slot's uid and emptied of anything an earlier run left. Returns a new
 * string (caller frees) or NULL with errno set. */
char *slot_workdir(const struct slot *s);

#endif
