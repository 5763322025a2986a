/*
 * main.c - the ipcgrade command line: pick a subcommand and run it.
 */
#include "cli.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "list", cmd_list, "list the assignments found" },
	{ "grade", cmd_grade, "grade a submission with every test (JSON)" },
	{ "check", cmd_check,
	  "student mode: the visible tests, and what to fix first" },
	{ "batch", cmd_batch,
	  "grade every submission folder of ROOT: CSV, summary, JSON" },
	{ "merge", cmd_merge, "combine the output folders of batch shards" },
	{ "gradescope-bundle", cmd_gradescope_bundle,
	  "make the autograder.zip Gradescope takes" },
	{ "sandbox", cmd_sandbox,
	  "run a command under isolation and report how it ended" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: ipcgrade COMMAND [OPTIONS] [ARGS]\n\n"
	           "commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		fprintf(f, "  %-18s %s\n", commands[i].name,
		        commands[i].summary);
	fprintf(f, "\n'ipcgrade COMMAND --help' describes one command.\n"
	           "exit codes: 0 done, 2 usage error, 3 configuration error, "
	           "4 isolation unavailable, 5 internal error\n");
}

int main(int argc, char **argv)
{
	/* A reader that goes away is an error to report, not a signal. */
	signal(SIGPIPE, SIG_IGN);
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("ipcgrade %s\n", IPCGRADE_VERSION);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "ipcgrade: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
