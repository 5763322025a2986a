/*
 * hostcache.h - facts about this host that are slow to find (whether
 * namespaces can be made, where the world-writable directories are), kept
 * for every ipcgrade process of the same boot for HOSTCACHE_SECONDS, in a
 * root-only file of the slot state dir. hostcache_get() or, on a miss,
 * find the fact and hostcache_put() it.
 */
#ifndef SANDBOX_HOSTCACHE_H
#define SANDBOX_HOSTCACHE_H

#include <stddef.h>

#define HOSTCACHE_SECONDS 600

/* The text stored under name, NUL-terminated in buf; -ENOENT when there is
 * none for this boot, or it is older than HOSTCACHE_SECONDS. */
int hostcache_get(const char *name, char *buf, size_t len);

/* Store text under name (replacing it at once); -errno. */
int hostcache_put(const char *name, const char *text);

#endif
