/*
 * cli.h - the subcommands of the ipcgrade binary and their exit codes.
 *
 * main() picks a subcommand by name and returns what it returns; each
 * cmd_*() parses its own options, prints its own --help and maps outcomes to
 * the exit codes of DESIGN.md (EXIT_OK ... EXIT_INTERNAL).
 */
#ifndef HARNESS_CLI_H
#define HARNESS_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "sandbox.h"

enum exit_code {
	EXIT_OK = 0,        /* done (whatever the program's score) */
	EXIT_LOW_SCORE = 1, /* --fail-under not met */
	EXIT_USAGE = 2,
	EXIT_CONFIG = 3,    /* assignment or configuration error */
	EXIT_ISOLATION = 4, /* required isolation unavailable */
	EXIT_INTERNAL = 5,
};

#define IPCGRADE_VERSION "0.1.0"

int cmd_sandbox(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_grade(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_gradescope_bundle(int argc, char **argv);

/* The folder of assignment NAME (a name under the assignments home, found
 * from home_opt, $IPCGRADE_HOME or the binary's place; or a path). 0 or
 * -ENOENT. */
int cli_locate(const char *home_opt, const char *name, char *out, size_t n);

struct assignment;

/* Find and load assignment NAME for subcommand cmd, and check that each of
 * the nonly test ids in only is one of its tests. Prints why not; returns
 * EXIT_OK, EXIT_CONFIG or EXIT_USAGE (a is then released or untouched). */
int cli_load(const char *cmd, const char *home_opt, const char *name,
             const char *const *only, size_t nonly, struct assignment *a);

/* --tier ARG (isolation false) or --isolation ARG (true) into *tier.
 * Prints why not; returns EXIT_OK or EXIT_USAGE. */
int cli_tier(const char *cmd, const char *arg, int isolation,
             enum sandbox_tier *tier);

/* --seed ARG (a number, not 0) into *seed. Prints why not; returns
 * EXIT_OK or EXIT_USAGE. */
int cli_seed(const char *cmd, const char *arg, uint64_t *seed);

#endif
