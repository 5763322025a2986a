/*
 * guard.h - run one grading in a child process, so that an interrupt
 * (Ctrl-C, SIGTERM, SIGHUP) ends it and leaves nothing behind: the child
 * is killed, its folders removed, abandoned sandbox slots swept.
 * guard_run(fn, arg) returns fn's value, or GUARD_INTERRUPTED.
 */
#ifndef HARNESS_GUARD_H
#define HARNESS_GUARD_H

#define GUARD_INTERRUPTED 130 /* 128 + SIGINT, as shells report it */

/* fn runs in a child with TMPDIR set to a fresh folder that is removed
 * afterwards; its value (0..255) becomes the child's exit status. Returns
 * that value, GUARD_INTERRUPTED when a signal ended the grading, -ECHILD
 * when the child died of a signal of its own, or another -errno when no
 * child could be started. */
int guard_run(int (*fn)(void *arg), void *arg);

#endif
