/*
 * sweep.h - remove whatever one sandbox uid left behind (basic tier).
 *
 * sweep_kill_uid() kills every process of the uid (a helper takes the uid
 * and repeats kill(-1, SIGKILL) until none is left); sweep_ipc_uid() removes
 * its SysV objects and its entries in /dev/shm, /dev/mqueue and every
 * world-writable directory (sweep_writable_dirs(): found once, or shared
 * through hostcache.h).
 */
#ifndef SANDBOX_SWEEP_H
#define SANDBOX_SWEEP_H

#include <stdbool.h>
#include <sys/types.h>

/* Returns the number of processes that were still there, or -errno. The
 * caller must reap its own children afterwards. */
int sweep_kill_uid(uid_t uid);

/* Returns 0 or -errno; *count gets the number of objects removed. With
 * files false only IPC objects are removed (not /tmp entries); the /tmp
 * entry `keep` (the run's work dir, may be NULL) is left alone. */
int sweep_ipc_uid(uid_t uid, bool files, const char *keep, unsigned *count);

#define SWEEP_MAX_DIRS 64

/* The world-writable directories of this machine (/tmp, /var/tmp,
 * /run/lock, ...), found by one walk of the first levels of / on first
 * use (the kernel's own filesystems skipped); NULL-terminated. */
const char *const *sweep_writable_dirs(void);

#endif
