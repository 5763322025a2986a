/*
 * cmd_grade.c - `ipcgrade list`, `ipcgrade grade` and `ipcgrade check`.
 */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "assignment.h"
#include "format.h"
#include "grade.h"
#include "guard.h"
#include "probe.h"
#include "report.h"

/* Where assignments live: --assignments, $IPCGRADE_HOME/assignments, the
 * source tree around build/ipcgrade, or PREFIX/share/ipcgrade. */
static int find_home(const char *opt, char *out, size_t n)
{
	const char *env = getenv("IPCGRADE_HOME");
	char exe[PATH_MAX], cand[PATH_MAX + 64];
	static const char *const rel[] = { "/../assignments",
		                           "/../../assignments",
		                           "/../share/ipcgrade/assignments" };
	struct stat st;
	ssize_t k;

	if (opt) {
		snprintf(out, n, "%s", opt);
		return stat(out, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : -ENOENT;
	}
	if (env && *env) {
		snprintf(out, n, "%s/assignments", env);
		return stat(out, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : -ENOENT;
	}
	k = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (k <= 0)
		return -ENOENT;
	exe[k] = '\0';
	*strrchr(exe, '/') = '\0';
	for (size_t i = 0; i < sizeof(rel) / sizeof(*rel); i++) {
		snprintf(cand, sizeof(cand), "%s%s", exe, rel[i]);
		if (stat(cand, &st) == 0 && S_ISDIR(st.st_mode) &&
		    realpath(cand, out))
			return 0;
	}
	return -ENOENT;
}

int cli_locate(const char *home_opt, const char *name, char *out, size_t n)
{
	char home[PATH_MAX];
	struct stat st;

	if (strchr(name, '/')) {
		snprintf(out, n, "%s", name);
		return 0;
	}
	if (find_home(home_opt, home, sizeof(home)))
		return -ENOENT;
	snprintf(out, n, "%s/%s", home, name);
	return stat(out, &st) == 0 ? 0 : -ENOENT;
}

int cli_load(const char *cmd, const char *home_opt, const char *name,
             const char *const *only, size_t nonly, struct assignment *a)
{
	char dir[PATH_MAX + 64];
	struct jcheck jc = { 0 };

	if (cli_locate(home_opt, name, dir, sizeof(dir))) {
		fprintf(stderr,
		        "ipcgrade %s: no assignment '%s' (see 'ipcgrade "
		        "list')\n",
		        cmd, name);
		return EXIT_CONFIG;
	}
	if (assignment_load(dir, a, &jc)) {
		fprintf(stderr, "%s\n", jc.msg);
		return EXIT_CONFIG;
	}
	for (size_t i = 0; i < nonly; i++)
		if (!assignment_test(a, only[i])) {
			fprintf(stderr, "ipcgrade %s: %s has no test '%s'\n",
			        cmd, a->name, only[i]);
			assignment_release(a);
			return EXIT_USAGE;
		}
	return EXIT_OK;
}

int cli_tier(const char *cmd, const char *arg, int isolation,
             enum sandbox_tier *tier)
{
	int t = isolation ? (strcmp(arg, "full") ? -EINVAL : TIER_FULL)
	                  : probe_parse_tier(arg);

	if (t < 0) {
		fprintf(stderr,
		        isolation ? "ipcgrade %s: --isolation takes 'full'\n"
		                  : "ipcgrade %s: unknown tier '%s'\n",
		        cmd, arg);
		return EXIT_USAGE;
	}
	*tier = (enum sandbox_tier)t;
	return EXIT_OK;
}

int cli_seed(const char *cmd, const char *arg, uint64_t *seed)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno || end == arg || *end || !v || arg[0] == '-') {
		fprintf(stderr,
		        "ipcgrade %s: --seed takes a number from 1 to %llu "
		        "(a result's harness.seed)\n",
		        cmd, (unsigned long long)UINT64_MAX);
		return EXIT_USAGE;
	}
	*seed = v;
	return EXIT_OK;
}

int cmd_list(int argc, char **argv)
{
	char home[PATH_MAX];
	struct dirent **list;
	const char *opt = NULL;
	int k;

	if (argc > 1 && !strcmp(argv[1], "--help")) {
		printf("usage: ipcgrade list [--assignments DIR]\n"
		       "Lists the assignments found, one line each.\n");
		return EXIT_OK;
	}
	if (argc > 2 && !strcmp(argv[1], "--assignments"))
		opt = argv[2];
	if (find_home(opt, home, sizeof(home))) {
		fprintf(stderr, "ipcgrade list: no assignments folder found "
		                "(use --assignments DIR or IPCGRADE_HOME)\n");
		return EXIT_CONFIG;
	}
	k = scandir(home, &list, NULL, alphasort);
	for (int i = 0; i < k; i++) {
		char dir[PATH_MAX + 300];
		struct assignment a;
		struct jcheck jc = { 0 };
		if (list[i]->d_name[0] != '.' && list[i]->d_name[0] != '_') {
			snprintf(dir, sizeof(dir), "%s/%s", home,
			         list[i]->d_name);
			if (assignment_load(dir, &a, &jc) == 0)
				printf("%-12s %2zu tests %5g points  %s\n",
				       a.name, a.ntests, a.max_score,
				       a.title ? a.title : "");
			else if (access(dir, F_OK) == 0)
				printf("%-12s (broken: %s)\n", list[i]->d_name,
				       jc.msg);
			assignment_release(&a);
		}
		free(list[i]);
	}
	if (k >= 0)
		free(list);
	return EXIT_OK;
}

static void grade_help(FILE *f, bool student)
{
	if (student)
		fprintf(f,
		        "usage: ipcgrade check ASSIGNMENT DIR\n"
		        "Runs the visible tests on your submission in DIR and "
		        "says what to fix first.\n");
	else
		fprintf(f,
		        "usage: ipcgrade grade ASSIGNMENT DIR [-o FILE] "
		        "[--format F] [--test ID]...\n"
		        "       [--tier auto|full|basic] [--isolation full] "
		        "[--fail-under SCORE] [--assignments DIR]\n"
		        "       [--seed N]   the tests' data from seed N (the "
		        "result's harness.seed): a regrade\n"
		        "Grades DIR with every test (hidden ones too) and "
		        "writes the result (JSON by default).\n"
		        "formats: %s\n",
		        format_names());
	fprintf(f, "exit codes: 0 graded, 1 below --fail-under, 2 usage "
	           "error, 3 assignment error, 4 isolation unavailable, 5 "
	           "internal error\n");
}

/* One grading and its report, in guard_run()'s child. */
struct job {
	const char *cmd;
	const struct assignment *a;
	const char *dir;
	const struct grade_options *o;
	const char *outfile, *format;
	bool student;
	double fail_under;
};

static int grade_job(void *arg)
{
	const struct job *j = arg;
	const char *cmd = j->cmd;
	struct format_options fo = { 0 };
	struct result r = { 0 };
	int err, werr, rc = EXIT_OK;
	FILE *out = stdout;

	err = grade_run(j->a, j->dir, j->o, &r);
	if (err == -ENOTSUP || err == -EPERM) {
		fprintf(stderr, "ipcgrade %s: isolation unavailable: %s\n", cmd,
		        r.error ? r.error : "");
		rc = EXIT_ISOLATION;
		goto out;
	}
	if (j->outfile && !(out = fopen(j->outfile, "w"))) {
		fprintf(stderr, "ipcgrade %s: cannot write '%s': %s\n", cmd,
		        j->outfile, strerror(errno));
		rc = EXIT_USAGE;
		goto out;
	}
	fo.color = report_want_color(out);
	fo.student = j->student;
	fo.gh_summary = getenv("GITHUB_STEP_SUMMARY");
	fo.gh_output = getenv("GITHUB_OUTPUT");
	if (fo.gh_summary && !*fo.gh_summary)
		fo.gh_summary = NULL;
	if (fo.gh_output && !*fo.gh_output)
		fo.gh_output = NULL;
	if ((werr = format_write(format_lookup(j->format), out, &r, &fo))) {
		fprintf(stderr, "ipcgrade %s: cannot write the result: %s\n",
		        cmd, strerror(-werr));
		rc = EXIT_INTERNAL;
		goto out;
	}
	if (err == -EINVAL && r.status == RESULT_ERROR)
		rc = EXIT_CONFIG; /* the reference does not build */
	else if (err)
		rc = EXIT_INTERNAL;
	else if (j->fail_under >= 0 && r.score < j->fail_under)
		rc = EXIT_LOW_SCORE;
out:
	if (out && out != stdout)
		fclose(out);
	result_release(&r);
	return rc;
}

static int grade_main(int argc, char **argv, bool student)
{
	enum {
		O_FORMAT = 256,
		O_TEST,
		O_TIER,
		O_ISOLATION,
		O_FAIL,
		O_HOME,
		O_SEED
	};
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, O_FORMAT },
		{ "test", required_argument, NULL, O_TEST },
		{ "tier", required_argument, NULL, O_TIER },
		{ "isolation", required_argument, NULL, O_ISOLATION },
		{ "fail-under", required_argument, NULL, O_FAIL },
		{ "assignments", required_argument, NULL, O_HOME },
		{ "seed", required_argument, NULL, O_SEED },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = student ? "check" : "grade";
	const char *outfile = NULL, *format = student ? "text" : "json",
	           *home = NULL, **only = calloc(argc + 1, sizeof(*only));
	struct grade_options o = { .tier = TIER_AUTO };
	struct assignment a = { 0 };
	double fail_under = -1;
	size_t nonly = 0;
	int c, rc = EXIT_OK;

	if (!only)
		return EXIT_INTERNAL;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			outfile = optarg;
			break;
		case O_FORMAT:
			if (!format_lookup(optarg)) {
				fprintf(stderr,
				        "ipcgrade %s: unknown format "
				        "'%s' (%s)\n",
				        cmd, optarg, format_names());
				rc = EXIT_USAGE;
				goto out;
			}
			format = optarg;
			break;
		case O_TEST:
			only[nonly++] = optarg;
			break;
		case O_TIER:
		case O_ISOLATION:
			if ((rc = cli_tier(cmd, optarg, c == O_ISOLATION,
			                   &o.tier)))
				goto out;
			break;
		case O_FAIL:
			fail_under = atof(optarg);
			break;
		case O_HOME:
			home = optarg;
			break;
		case O_SEED:
			if (cli_seed(cmd, optarg, &o.seed)) {
				rc = EXIT_USAGE;
				goto out;
			}
			break;
		case 'h':
			grade_help(stdout, student);
			goto out;
		default:
			grade_help(stderr, student);
			rc = EXIT_USAGE;
			goto out;
		}
	}
	if (argc - optind != 2) {
		grade_help(stderr, student);
		rc = EXIT_USAGE;
		goto out;
	}
	if ((rc = cli_load(cmd, home, argv[optind], only, nonly, &a)))
		goto out;
	if (access(argv[optind + 1], R_OK | X_OK)) {
		fprintf(stderr,
		        "ipcgrade %s: cannot read submission '%s': "
		        "%s\n",
		        cmd, argv[optind + 1], strerror(errno));
		rc = EXIT_USAGE;
		goto out;
	}
	o.only = nonly ? only : NULL;
	o.visible_only = student;
	o.command = student ? "ipcgrade check" : "ipcgrade grade";
	{
		struct job j = { .cmd = cmd,
			         .a = &a,
			         .dir = argv[optind + 1],
			         .o = &o,
			         .outfile = outfile,
			         .format = format,
			         .student = student,
			         .fail_under = fail_under };
		rc = guard_run(grade_job, &j);
	}
	if (rc == GUARD_INTERRUPTED)
		fprintf(stderr,
		        "ipcgrade %s: interrupted; the grading was stopped "
		        "and nothing of it is left\n",
		        cmd);
	else if (rc < 0) {
		fprintf(stderr, "ipcgrade %s: the grading failed: %s\n", cmd,
		        rc == -ECHILD ? "its process crashed" : strerror(-rc));
		rc = EXIT_INTERNAL;
	}
out:
	assignment_release(&a);
	free(only);
	return rc;
}

int cmd_grade(int argc, char **argv)
{
	return grade_main(argc, argv, false);
}

int cmd_check(int argc, char **argv)
{
	return grade_main(argc, argv, true);
}
