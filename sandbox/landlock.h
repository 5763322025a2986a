/*
 * landlock.h - the Landlock ruleset a run's program enters before exec:
 * scoping of signals and abstract sockets (ABI >= 6), and paths hidden by
 * denying read and execute (the basic tier's `hide`, ABI >= 1). Build it
 * in the supervisor (it allocates), enter it in the program's child.
 */
#ifndef SANDBOX_LANDLOCK_H
#define SANDBOX_LANDLOCK_H

#include <stdbool.h>

/* A ruleset fd; -ENOENT when there is nothing to enforce (no Landlock, or
 * neither scoping nor a path to hide), another -errno on failure. Every
 * path but those in hide (NULL-terminated, may be NULL) stays readable;
 * the ancestors of a hidden path can no longer be listed. A path below a
 * world-writable directory (/tmp...) is left to its permissions. */
int landlock_build(int abi, bool scope, const char *const *hide);

/* Whether landlock_build() with this ABI hides path (it exists, and no
 * directory above it is world-writable). */
bool landlock_can_hide(int abi, const char *path);

/* Confine the calling process with the ruleset, then close it; -errno. */
int landlock_enter(int ruleset);

#endif
