/*
 * escape.h - write untrusted text (what a student's program printed) safely
 * into each output format: XML, Markdown, YAML, GitHub workflow commands.
 *
 * Every esc_*() takes arbitrary bytes (NULL means ""), makes them valid
 * UTF-8 first and writes to f. Nothing here allocates for the caller.
 */
#ifndef HARNESS_ESCAPE_H
#define HARNESS_ESCAPE_H

#include <stdbool.h>
#include <stdio.h>

/* Valid UTF-8 with every control character except \n and \t shown as
 * "\xNN" (no terminal escape survives). New string; caller frees. NULL
 * only when out of memory. */
char *esc_clean(const char *s);

/* XML 1.0 character data (attr false) or attribute value (attr true):
 * & < > " ' escaped, characters XML 1.0 forbids (most C0 controls, U+FFFE,
 * U+FFFF) written as "\xNN" text; in attributes \t \n \r as references. */
void esc_xml(FILE *f, const char *s, bool attr);

/* Markdown text inside a line (never at its start): the punctuation that
 * makes links, HTML, emphasis, code, tables or maths backslash-escaped;
 * line breaks become spaces. */
void esc_md_inline(FILE *f, const char *s);

/* A fenced Markdown code block whose fence is longer than any run of
 * backticks in s, so the text cannot close it. */
void esc_md_block(FILE *f, const char *s);

/* A YAML double-quoted scalar (quotes included), on one line. */
void esc_yaml(FILE *f, const char *s);

/* GitHub workflow command message: % \r \n escaped, so it stays one
 * command (other controls as "\xNN", "##[" as "##\["). With prop also :
 * and , (a property value like title=). */
void esc_gh_data(FILE *f, const char *s, bool prop);

/* Lines of log text that the Actions runner cannot read as a command:
 * each line (cleaned) is written after prefix; a line that starts with
 * "::" (after blanks) gets a '\' before the "::", and "##[" becomes "##\[". */
void esc_gh_lines(FILE *f, const char *s, const char *prefix);

#endif
