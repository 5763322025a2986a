/*
 * cmd_batch.c - `ipcgrade batch` (every submission folder of ROOT, in
 * parallel, resumable, sharded) and `ipcgrade merge` (shards into one).
 * Both parse their options here and leave the work to batch.c.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "assignment.h"
#include "batch.h"
#include "probe.h"

#define EXIT_INTERRUPTED 130 /* 128 + SIGINT, as shells report it */

static void batch_help(FILE *f)
{
	fprintf(f,
	        "usage: ipcgrade batch ASSIGNMENT ROOT -o OUTDIR [-j N] "
	        "[--shard K/N] [--resume]\n"
	        "       [--test ID]... [--tier auto|full|basic] "
	        "[--isolation full] [--assignments DIR] [--seed N]\n"
	        "Grades every sub-folder of ROOT (one submission each, in "
	        "name order), N at once\n"
	        "(default: the number of CPUs). OUTDIR gets results/NAME.json "
	        "as each ends,\n"
	        "then grades.csv and summary.json. --resume keeps what an "
	        "interrupted run\n"
	        "finished; --shard K/N grades only the submissions of shard K "
	        "(see merge).\n"
	        "Each grading draws its tests' data from a fresh seed (its "
	        "result's harness.seed)\n"
	        "unless --seed N gives one for all.\n"
	        "exit codes: 0 every submission graded, 2 usage error, 3 "
	        "assignment error,\n"
	        "4 isolation unavailable, 5 some gradings failed (--resume "
	        "retries them),\n"
	        "130 interrupted (--resume continues)\n");
}

static int parse_shard(const char *s, unsigned *k, unsigned *n)
{
	char *end;
	unsigned long a = strtoul(s, &end, 10), b;

	if (end == s || *end != '/')
		return -1;
	s = end + 1;
	b = strtoul(s, &end, 10);
	if (end == s || *end || a < 1 || b < 1 || a > b || b > 100000)
		return -1;
	*k = (unsigned)a;
	*n = (unsigned)b;
	return 0;
}

/* The last line: how it went, from the summary just written. */
static void report(const char *outdir, const struct batch_stats *st)
{
	char path[PATH_MAX + 32];
	json_t *s;

	snprintf(path, sizeof(path), "%s/summary.json", outdir);
	s = json_load_file(path, 0, NULL);
	printf("%zu of %zu submissions graded", st->resumed + st->graded,
	       st->total);
	if (st->resumed)
		printf(" (%zu earlier)", st->resumed);
	if (s)
		printf(": mean %g, median %g of %g",
		       json_number_value(json_object_get(s, "mean")),
		       json_number_value(json_object_get(s, "median")),
		       json_number_value(json_object_get(s, "max_score")));
	printf("; %zu did not build, %zu grading errors\n%s/grades.csv\n",
	       st->build_failed, st->errors, outdir);
	json_decref(s);
}

int cmd_batch(int argc, char **argv)
{
	enum {
		O_SHARD = 256,
		O_RESUME,
		O_TEST,
		O_TIER,
		O_ISOLATION,
		O_HOME,
		O_SEED
	};
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "shard", required_argument, NULL, O_SHARD },
		{ "resume", no_argument, NULL, O_RESUME },
		{ "test", required_argument, NULL, O_TEST },
		{ "tier", required_argument, NULL, O_TIER },
		{ "isolation", required_argument, NULL, O_ISOLATION },
		{ "assignments", required_argument, NULL, O_HOME },
		{ "seed", required_argument, NULL, O_SEED },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct batch_options o = { .tier = TIER_AUTO, .progress = stderr };
	const char **only = calloc(argc + 1, sizeof(*only));
	const char *outdir = NULL, *home = NULL;
	struct assignment a = { 0 };
	struct batch_stats st;
	char *end;
	size_t nonly = 0;
	int c, err, rc = EXIT_OK;
	long j;

	if (!only)
		return EXIT_INTERNAL;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:j:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			outdir = optarg;
			break;
		case 'j':
			j = strtol(optarg, &end, 10);
			if (end == optarg || *end || j < 1 || j > 256) {
				fprintf(stderr, "ipcgrade batch: -j takes 1 to "
				                "256\n");
				rc = EXIT_USAGE;
				goto out;
			}
			o.jobs = (unsigned)j;
			break;
		case O_SHARD:
			if (parse_shard(optarg, &o.shard, &o.nshards)) {
				fprintf(stderr,
				        "ipcgrade batch: --shard takes K/N "
				        "with 1 <= K <= N, not '%s'\n",
				        optarg);
				rc = EXIT_USAGE;
				goto out;
			}
			break;
		case O_RESUME:
			o.resume = true;
			break;
		case O_TEST:
			only[nonly++] = optarg;
			break;
		case O_TIER:
		case O_ISOLATION:
			if ((rc = cli_tier("batch", optarg, c == O_ISOLATION,
			                   &o.tier)))
				goto out;
			break;
		case O_HOME:
			home = optarg;
			break;
		case O_SEED:
			if ((rc = cli_seed("batch", optarg, &o.seed)))
				goto out;
			break;
		case 'h':
			batch_help(stdout);
			goto out;
		default:
			batch_help(stderr);
			rc = EXIT_USAGE;
			goto out;
		}
	}
	if (argc - optind != 2 || !outdir) {
		batch_help(stderr);
		rc = EXIT_USAGE;
		goto out;
	}
	if ((rc = cli_load("batch", home, argv[optind], only, nonly, &a)))
		goto out;
	o.only = nonly ? only : NULL;
	o.bar = isatty(STDERR_FILENO);
	err = batch_run(&a, argv[optind + 1], outdir, &o, &st);
	if (err) {
		fprintf(stderr, "ipcgrade batch: %s\n",
		        *st.msg ? st.msg : strerror(-err));
		rc = err == -ENOTSUP || err == -EPERM ? EXIT_ISOLATION
		     : err == -ENOEXEC                ? EXIT_CONFIG
		     : err == -EEXIST || err == -EINVAL || err == -ENOENT ||
		             err == -ENOTDIR
		         ? EXIT_USAGE
		         : EXIT_INTERNAL;
		goto out;
	}
	report(outdir, &st);
	if (st.interrupted) {
		fprintf(stderr,
		        "ipcgrade batch: interrupted; run the same command "
		        "with --resume to finish\n");
		rc = EXIT_INTERRUPTED;
	} else if (st.errors) {
		fprintf(stderr,
		        "ipcgrade batch: %zu gradings failed (not the "
		        "students' fault); --resume retries them\n",
		        st.errors);
		rc = EXIT_INTERNAL;
	}
out:
	assignment_release(&a);
	free(only);
	return rc;
}

int cmd_merge(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *outdir = NULL;
	char msg[1024] = "";
	int c, err;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		if (c == 'o') {
			outdir = optarg;
			continue;
		}
		fprintf(c == 'h' ? stdout : stderr,
		        "usage: ipcgrade merge OUTDIR... -o OUTDIR\n"
		        "Combines the output folders of every shard of one "
		        "batch (ipcgrade batch\n"
		        "--shard K/N) into the folder one unsharded run would "
		        "have written.\n");
		return c == 'h' ? EXIT_OK : EXIT_USAGE;
	}
	if (!outdir || optind >= argc) {
		fprintf(stderr, "usage: ipcgrade merge OUTDIR... -o OUTDIR\n");
		return EXIT_USAGE;
	}
	err = batch_merge((const char *const *)argv + optind,
	                  (size_t)(argc - optind), outdir, msg, sizeof(msg));
	if (err) {
		fprintf(stderr, "ipcgrade merge: %s\n",
		        *msg ? msg : strerror(-err));
		return err == -EINVAL || err == -ENOENT || err == -EEXIST
		           ? EXIT_USAGE
		           : EXIT_INTERNAL;
	}
	printf("merged %d folders into %s\n", argc - optind, outdir);
	return EXIT_OK;
}
