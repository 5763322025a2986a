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

/* The private root-owned directory holding the locks (and the empty
 * "root" mount point of full-tier sandboxes); NULL when none is usable. */
const char *slot_state_dir(void);

#endif
