/*
 * utf8.h - make arbitrary bytes safe to put in JSON and in reports.
 *
 * utf8_sanitize(bytes, n, &len) returns a new NUL-terminated string where
 * every invalid UTF-8 sequence became U+FFFD; NUL bytes and other control
 * characters are kept (JSON escapes them). Caller frees.
 */
#ifndef HARNESS_UTF8_H
#define HARNESS_UTF8_H

#include <stddef.h>

char *utf8_sanitize(const char *s, size_t n, size_t *out_len);

#endif
