/*
 * provenance.h - content hashes that trace a score to exactly what produced
 * it. Each fills out with "sha256:" and 64 hex digits, returns 0 or -errno
 * (out is then empty).
 */
#ifndef HARNESS_PROVENANCE_H
#define HARNESS_PROVENANCE_H

#define PROVENANCE_LEN 72

/* The regular files and folders under dir (links and special files do
 * not count, as the build does not copy them), by name and content; top
 * level entries named in skip (NULL-terminated, or NULL) are left out. */
int provenance_tree(const char *dir, const char *const *skip,
                    char out[PROVENANCE_LEN]);

/* An assignment: its folder (without examples/) and its reference's. */
int provenance_assignment(const char *dir, const char *reference,
                          char out[PROVENANCE_LEN]);

/* This build of the harness: its executable and its probes. */
int provenance_harness(char out[PROVENANCE_LEN]);

#endif
