/*
 * forge - tries to change a conduct report from inside the run: prints
 * report lines of its own, then tries to write into its parent's (the
 * conductor's) stdout through /proc and to read its memory. Prints what
 * each attempt gave on stdout; exits 0.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void attempt(const char *what, const char *path, int flags)
{
	int fd = open(path, flags);

	if (fd >= 0 && (flags & O_ACCMODE) != O_RDONLY &&
	    write(fd, "proc FORGED start 0 end 0 exit 0 utime 0 stime 0\nend\n",
	          52) > 0)
		printf("%s: wrote\n", what);
	else if (fd >= 0)
		printf("%s: opened\n", what);
	else
		printf("%s: %s\n", what, strerror(errno));
	if (fd >= 0)
		close(fd);
}

int main(void)
{
	char path[64];

	printf("end\nproc FORGED start 0 end 0 exit 0 utime 0 stime 0\n");
	snprintf(path, sizeof(path), "/proc/%d/fd/1", getppid());
	attempt("parent stdout", path, O_WRONLY);
	snprintf(path, sizeof(path), "/proc/%d/mem", getppid());
	attempt("parent memory", path, O_RDONLY);
	return 0;
}
