/* Overwrites the harness binary or drops a file next to it (row 28). */
/* HOSTILE_HARNESS is the path of the harness (the test runner). */
#include <fcntl.h>
#include <libgen.h>

#include "hostile.h"

/* ENOENT too: the harness need not even be visible from inside. */
static bool refused(int e)
{
	return e == EACCES || e == EROFS || e == EPERM || e == ENOENT;
}

static int try_write(const char *path, int flags)
{
	int fd = open(path, O_WRONLY | flags, 0644);

	if (fd >= 0) {
		report("open(%s, O_WRONLY) -> %d", path, fd);
		return HOSTILE_ESCAPED;
	}
	report("open(%s, O_WRONLY) -> %s", path, errname(errno));
	return refused(errno) ? 0 : HOSTILE_ODD;
}

int main(void)
{
	const char *harness = getenv("HOSTILE_HARNESS");
	char next[4096];
	int rc;

	hostile_refuse_root();
	if (!harness)
		return HOSTILE_BROKEN;
	snprintf(next, sizeof(next), "%s/planted-by-hostile",
	         dirname(strdupa(harness)));
	if ((rc = try_write(harness, 0)) || (rc = try_write(next, O_CREAT)) ||
	    (rc = try_write("/etc/passwd", 0)))
		return rc;
	if (unlink(harness) == 0) {
		report("unlink(%s) -> 0", harness);
		return HOSTILE_ESCAPED;
	}
	report("unlink(%s) -> %s", harness, errname(errno));
	return refused(errno) ? HOSTILE_CONTAINED : HOSTILE_ODD;
}
