/*
 * cmd_bundle.c - `ipcgrade gradescope-bundle ASSIGNMENT -o autograder.zip`:
 * the zip Gradescope takes. setup.sh installs the Debian packages and
 * builds ipcgrade from the sources inside; run_autograder grades
 * /autograder/submission into /autograder/results/results.json.
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
#include "fsutil.h"
#include "zipw.h"

#define MAX_FILE (16 << 20)

/* Run once, when Gradescope builds the image. AUTOGRADER_ROOT lets the
 * bundle be tried in a folder laid out like /autograder. */
static const char setup_sh[] =
    "#!/bin/bash\n"
    "# Gradescope runs this once, when it builds the autograder image.\n"
    "set -euo pipefail\n"
    "ROOT=\"${AUTOGRADER_ROOT:-/autograder}\"\n"
    "SRC=\"$ROOT/source/ipcgrade\"\n"
    "# Debian/Ubuntu packages, through apt-get, only those missing.\n"
    "\"$SRC/.ci/install-deps\"\n"
    "make -C \"$SRC\" -j\"$(nproc)\"\n"
    "make -C \"$SRC\" install PREFIX=\"$ROOT/ipcgrade\" >/dev/null\n"
    "# The assignment (hidden tests) and the reference solution: root\n"
    "# only. Student programs run as other uids, also in the basic tier.\n"
    "chmod -R go-rwx \"$ROOT/ipcgrade/share/ipcgrade\" \"$ROOT/source\"\n"
    "chmod 755 \"$ROOT/ipcgrade\" \"$ROOT/ipcgrade/bin\"\n";

/* Run for every submission; %s is the assignment's name. */
static const char run_autograder[] =
    "#!/bin/sh\n"
    "# Gradescope runs this for every submission.\n"
    "ROOT=\"${AUTOGRADER_ROOT:-/autograder}\"\n"
    "mkdir -p \"$ROOT/results\"\n"
    "# The strongest isolation available: the basic tier (uids, rlimits,\n"
    "# seccomp) in a container without user namespaces.\n"
    "exec \"$ROOT/ipcgrade/bin/ipcgrade\" grade '%s' \"$ROOT/submission\" \\\n"
    "\t--format gradescope -o \"$ROOT/results/results.json\"\n";

static bool has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), k = strlen(suf);
	return n >= k && !strcmp(s + n - k, suf);
}

/* Add the regular file path as name, keeping its execute bits. */
static void add_file(struct zipw *z, const char *path, const char *name)
{
	char *data = NULL;
	size_t len = 0;
	struct stat st;
	int err;

	if (lstat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
		if (!z->err)
			z->err = -ENOENT;
		return;
	}
	err = fs_read_beneath("/", path + (path[0] == '/'), MAX_FILE, &data,
	                      &len);
	if (err && !z->err)
		z->err = err;
	if (!err)
		zipw_add(z, name, data, len, st.st_mode & 0111 ? 0755 : 0644);
	free(data);
}

/* Add the tree under dir as prefix/..., in name order; with sources_only
 * only *.c and *.h; skip is a folder name left out (or NULL). */
static void add_tree(struct zipw *z, const char *dir, const char *prefix,
                     bool sources_only, const char *skip)
{
	struct dirent **list;
	int n = scandir(dir, &list, NULL, alphasort);

	if (n < 0) {
		if (!z->err)
			z->err = -errno;
		return;
	}
	for (int i = 0; i < n; i++) {
		const char *e = list[i]->d_name;
		char path[PATH_MAX], name[PATH_MAX];
		struct stat st;
		if (e[0] == '.' || (skip && !strcmp(e, skip)) ||
		    snprintf(path, sizeof(path), "%s/%s", dir, e) >=
		        (int)sizeof(path) ||
		    snprintf(name, sizeof(name), "%s/%s", prefix, e) >=
		        (int)sizeof(name) ||
		    lstat(path, &st) < 0) {
			free(list[i]);
			continue;
		}
		if (S_ISDIR(st.st_mode))
			add_tree(z, path, name, sources_only, NULL);
		else if (S_ISREG(st.st_mode) &&
		         (!sources_only || has_suffix(e, ".c") ||
		          has_suffix(e, ".h")))
			add_file(z, path, name);
		free(list[i]);
	}
	free(list);
}

/* The source tree around the binary: build/ipcgrade or build/V/ipcgrade. */
static int find_sources(char *out, size_t n)
{
	static const char *const rel[] = { "/..", "/../.." };
	char exe[PATH_MAX], cand[PATH_MAX + 16], probe[PATH_MAX + 64];
	ssize_t k = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (k <= 0)
		return -ENOENT;
	exe[k] = '\0';
	*strrchr(exe, '/') = '\0';
	for (size_t i = 0; i < sizeof(rel) / sizeof(*rel); i++) {
		snprintf(cand, sizeof(cand), "%s%s", exe, rel[i]);
		snprintf(probe, sizeof(probe), "%s/harness/main.c", cand);
		if (access(probe, R_OK) == 0 && realpath(cand, out) &&
		    strlen(out) < n)
			return 0;
	}
	return -ENOENT;
}

static bool safe_name(const char *s)
{
	return *s && strspn(s, "abcdefghijklmnopqrstuvwxyz"
	                       "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") ==
	                 strlen(s);
}

static int bundle(const struct assignment *a, const char *src, const char *out)
{
	static const char *const dirs[] = { "harness", "sandbox", "graders" };
	char path[PATH_MAX + 64], name[PATH_MAX],
	    script[sizeof(run_autograder) + 256];
	const char *ref = strrchr(a->reference_dir, '/');
	struct zipw z;
	int err;

	if ((err = zipw_open(&z, out)))
		return err;
	zipw_add(&z, "setup.sh", setup_sh, strlen(setup_sh), 0755);
	snprintf(script, sizeof(script), run_autograder, a->name);
	zipw_add(&z, "run_autograder", script, strlen(script), 0755);
	snprintf(path, sizeof(path), "%s/Makefile", src);
	add_file(&z, path, "ipcgrade/Makefile");
	snprintf(path, sizeof(path), "%s/.ci/install-deps", src);
	add_file(&z, path, "ipcgrade/.ci/install-deps");
	for (size_t i = 0; i < sizeof(dirs) / sizeof(*dirs); i++) {
		snprintf(path, sizeof(path), "%s/%s", src, dirs[i]);
		snprintf(name, sizeof(name), "ipcgrade/%s", dirs[i]);
		add_tree(&z, path, name, true, NULL);
	}
	/* The examples are the course's test fixtures, not needed here. */
	snprintf(name, sizeof(name), "ipcgrade/assignments/%s", a->name);
	add_tree(&z, a->dir, name, false, "examples");
	snprintf(name, sizeof(name), "ipcgrade/reference/%s",
	         ref ? ref + 1 : a->name);
	add_tree(&z, a->reference_dir, name, false, NULL);
	return zipw_close(&z);
}

int cmd_gradescope_bundle(int argc, char **argv)
{
	enum {
		O_SOURCE = 256,
		O_HOME
	};
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "source", required_argument, NULL, O_SOURCE },
		{ "assignments", required_argument, NULL, O_HOME },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL, *src_opt = NULL, *home = NULL;
	char src[PATH_MAX];
	struct assignment a = { 0 };
	int c, err, rc = EXIT_OK;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case O_SOURCE:
			src_opt = optarg;
			break;
		case O_HOME:
			home = optarg;
			break;
		default:
			fprintf(
			    c == 'h' ? stdout : stderr,
			    "usage: ipcgrade gradescope-bundle ASSIGNMENT "
			    "-o autograder.zip [--source DIR]\n"
			    "Makes the zip to upload as a Gradescope "
			    "autograder: setup.sh builds ipcgrade from the\n"
			    "sources inside (DIR: the ipcgrade source tree, "
			    "found next to build/ipcgrade\n"
			    "by default), run_autograder grades each "
			    "submission.\n");
			return c == 'h' ? EXIT_OK : EXIT_USAGE;
		}
	}
	if (argc - optind != 1 || !out) {
		fprintf(stderr, "usage: ipcgrade gradescope-bundle ASSIGNMENT "
		                "-o autograder.zip [--source DIR]\n");
		return EXIT_USAGE;
	}
	if ((rc = cli_load("gradescope-bundle", home, argv[optind], NULL, 0,
	                   &a)))
		return rc;
	if (!safe_name(a.name)) {
		fprintf(stderr,
		        "ipcgrade gradescope-bundle: '%s' is not a name a "
		        "shell script can hold as is\n",
		        a.name);
		rc = EXIT_CONFIG;
		goto out;
	}
	if (src_opt ? !realpath(src_opt, src)
	            : find_sources(src, sizeof(src)) < 0) {
		fprintf(stderr,
		        "ipcgrade gradescope-bundle: cannot find the ipcgrade "
		        "sources; use --source DIR\n");
		rc = EXIT_USAGE;
		goto out;
	}
	if ((err = bundle(&a, src, out))) {
		fprintf(stderr,
		        "ipcgrade gradescope-bundle: cannot write '%s': "
		        "%s\n",
		        out, strerror(-err));
		unlink(out);
		rc = EXIT_INTERNAL;
		goto out;
	}
	printf("%s: upload it as the autograder of a Gradescope "
	       "programming assignment\n",
	       out);
out:
	assignment_release(&a);
	return rc;
}
