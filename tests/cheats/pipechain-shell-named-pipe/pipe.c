/* The trick: the shell the honest twin execs, reached through a link
 * named pipe, so that the process is still called pipe. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static int trick_execl(const char *path, const char *arg, ...)
{
	char *argv[16], dir[] = "/tmp/trick-XXXXXX", link[64];
	va_list ap;
	int n = 0;

	argv[n++] = "pipe";
	va_start(ap, arg);
	while (n < 15 && (argv[n] = va_arg(ap, char *)))
		n++;
	va_end(ap);
	argv[n] = NULL;
	if (!mkdtemp(dir))
		return -1;
	snprintf(link, sizeof(link), "%s/pipe", dir);
	if (symlink(path, link) < 0)
		return -1;
	(void)arg;
	return execv(link, argv);
}

#define execl trick_execl
#include "honest-pipe.inc"
