/*
 * postcond.h - check that a finished sandbox run left nothing behind.
 *
 * After sandbox_run() returns, postcond_check(res.uid, why, len) looks for
 * anything of that uid: processes (zombies too), SysV shm/sem/msg objects,
 * /dev/shm, /dev/mqueue (when mounted) and /tmp entries. It scans on its
 * own, never through the sandbox's sweep code it is meant to verify, and
 * then removes what it found so that one failure does not spill into the
 * next test.
 */
#ifndef TESTS_POSTCOND_H
#define TESTS_POSTCOND_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Processes whose real, effective, saved or fs uid is uid (zombies only
 * when `zombies`), counted after waiting up to wait_ms for them to go
 * (polling, not sleeping blindly). The first one is described in why. */
unsigned postcond_processes(uid_t uid, int wait_ms, bool zombies, char *why,
                            size_t len);

/* SysV shared memory, semaphore sets and message queues created by or
 * owned by uid, in the caller's IPC namespace. */
unsigned postcond_sysv(uid_t uid, char *why, size_t len);

/* Entries directly under dir owned by uid (not following symlinks). */
unsigned postcond_dir(const char *dir, uid_t uid, char *why, size_t len);

/* All of the above (waiting 1 s for processes). Returns the number of
 * leftovers, describes the first kinds in why, and removes them. */
unsigned postcond_check(uid_t uid, char *why, size_t len);

/* cgroup leaves (under /sys/fs/cgroup, 4 levels deep) that a sandbox run
 * of the ipcgrade process `pid` created; their paths go to why. */
unsigned postcond_cgroups_of(pid_t pid, char *why, size_t len);

#endif
