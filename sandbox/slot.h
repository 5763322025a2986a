/*
 * slot.h - one uid per concurrently running sandbox, across processes.
 *
 * slot_acquire(want, &s) locks slot `want` (or the first free one when
 * want < 0) with flock(), so two ipcgrade processes never share a uid;
 * slot_release() unlocks. The uid of slot n is SLOT_UID_BASE + n.
 */
#ifndef SANDBOX_SLOT_H
#define SANDBOX_SLOT_H

#include <sys/types.h>

#define SLOT_UID_BASE 61000
#define SLOT_COUNT    256

struct slot {
	int index;
	uid_t uid;
	int lock_fd;
};

/* Returns 0, -EBUSY (that slot or every slot taken) or -errno. Processes
 * or IPC objects a crashed earlier run left under the uid are removed. */
int slot_acquire(int want, struct slot *s);
void slot_release(struct slot *s);

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
