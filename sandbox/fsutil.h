/*
 * fsutil.h - touch files the sandboxed program could have planted, safely.
 *
 * Everything here refuses to follow symbolic links and to open anything but
 * regular files and directories, so a planted symlink or FIFO can neither
 * redirect the harness nor hang it. Functions return 0 or -errno.
 */
#ifndef SANDBOX_FSUTIL_H
#define SANDBOX_FSUTIL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* openat2(dir, name) with no symlink anywhere and nothing outside dir
 * reachable; flags are open(2) flags (O_CLOEXEC is added). Returns the fd,
 * -ELOOP or -EXDEV for a link or an escape, or -errno. */
int fs_open_beneath(const char *dir, const char *name, int flags);

/* Read at most max bytes of dir/name (name may not contain ".." or start
 * with "/"; no component may be a symlink). -ELOOP for a symlink, -EINVAL
 * for anything not a regular file, -EFBIG when larger than max. *data is a
 * new NUL-terminated buffer; caller frees. */
int fs_read_beneath(const char *dir, const char *name, size_t max, char **data,
                    size_t *len);

/* Remove everything below directory path, not path itself. */
int fs_empty_dir(const char *path);

/* Remove path and everything below it without following symlinks. */
int fs_remove_tree(const char *path);

/* Remove every entry under dir (not dir itself) owned by uid, recursively,
 * never following symlinks, except the entry whose full path is `keep`
 * (may be NULL). Adds the number removed to *count. */
int fs_remove_owned(const char *dir, uid_t uid, const char *keep,
                    unsigned *count);

/* chown path and everything below it to uid:gid, never following links. */
int fs_chown_tree(const char *path, uid_t uid, gid_t gid);

/* Copy directory src into the new directory dst (mode 0755), regular
 * files and directories only: symlinks, FIFOs and devices are skipped and
 * counted in *skipped. At most max_files entries and max_bytes in all:
 * -EFBIG beyond. */
int fs_copy_tree(const char *src, const char *dst, size_t max_files,
                 uint64_t max_bytes, unsigned *skipped);

/* Create path (which must not exist, nor be a symlink) holding len bytes
 * of data with the given mode. 0 or -errno. */
int fs_write_new(const char *path, const void *data, size_t len, mode_t mode);

/* mkdtemp() under $TMPDIR or /tmp; *path is new, caller frees. */
int fs_make_tempdir(const char *prefix, char **path);

#endif
