/* Runs setuid-root binaries, su and passwd (row 29). */
/* Each blocks on its password prompt while we read its uids: no
 * privilege may come of the setuid bit. */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>

#include "hostile.h"

static int check(const char *path, const char *name, char *const argv[])
{
	struct timespec ts = { 0, 5 * 1000 * 1000 };
	unsigned r, e, s, f;
	char file[64], line[256], comm[32] = "";
	int in[2], i, rc = -1;
	pid_t pid;
	FILE *st;

	if (pipe(in) < 0 || (pid = fork()) < 0)
		return HOSTILE_BROKEN;
	if (pid == 0) {
		dup2(in[0], 0);
		execv(path, argv);
		_exit(127);
	}
	snprintf(file, sizeof(file), "/proc/%d/status", (int)pid);
	for (i = 0; i < 400 && rc < 0; i++, nanosleep(&ts, NULL)) {
		if (!(st = fopen(file, "r")))
			break;
		while (fgets(line, sizeof(line), st)) {
			sscanf(line, "Name: %31s", comm);
			if (strcmp(comm, name) == 0 &&
			    sscanf(line, "Uid: %u %u %u %u", &r, &e, &s, &f) ==
			        4)
				rc = e == 0 || s == 0 || f == 0;
		}
		fclose(st);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	if (rc < 0) {
		report("%s: never saw it running", path);
		return HOSTILE_ODD;
	}
	report("%s runs with uids %u %u %u %u", path, r, e, s, f);
	return rc ? HOSTILE_ESCAPED : 0;
}

int main(void)
{
	char *su[] = { "su", "-c", "id", "root", NULL };
	char *passwd[] = { "passwd", NULL };
	int rc;
	int tried = 0;

	hostile_refuse_root();
	/* A host may lack one of them: then there is nothing to exploit. */
	if (access("/bin/su", X_OK) == 0 && ++tried &&
	    (rc = check("/bin/su", "su", su)))
		return rc;
	if (access("/usr/bin/passwd", X_OK) == 0 && ++tried &&
	    (rc = check("/usr/bin/passwd", "passwd", passwd)))
		return rc;
	if (!tried)
		report("neither /bin/su nor /usr/bin/passwd is installed");
	return HOSTILE_CONTAINED;
}
