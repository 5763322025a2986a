/* Reads grader files: /root, /etc/shadow, test secrets (row 27). */
/* HOSTILE_SECRET: a file in a 0700 directory; HOSTILE_HIDDEN: a folder
 * the sandbox hides (mounts in the full tier, Landlock in the basic), and
 * HOSTILE_HIDDEN_FILE a file in it. */
#include <dirent.h>
#include <fcntl.h>

#include "hostile.h"

/* 0 when path cannot be read, or reads as empty (hidden). */
static int try_read(const char *path)
{
	char buf[256];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		report("open(%s) -> %s", path, errname(errno));
		return errno == EACCES || errno == ENOENT ? 0 : HOSTILE_ODD;
	}
	n = read(fd, buf, sizeof(buf));
	report("read(%s) -> %zd", path, n);
	return n > 0 ? HOSTILE_ESCAPED : 0;
}

/* 0 when dir cannot be listed, or is empty (hidden). */
static int try_list(const char *dir)
{
	struct dirent *e;
	DIR *d = opendir(dir);
	int n = 0;

	if (!d) {
		report("opendir(%s) -> %s", dir, errname(errno));
		return errno == EACCES || errno == ENOENT ? 0 : HOSTILE_ODD;
	}
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	report("opendir(%s) -> %d entries", dir, n);
	return n > 0 ? HOSTILE_ESCAPED : 0;
}

int main(void)
{
	const char *secret = getenv("HOSTILE_SECRET");
	const char *hidden = getenv("HOSTILE_HIDDEN");
	const char *hidden_file = getenv("HOSTILE_HIDDEN_FILE");
	int rc;

	hostile_refuse_root();
	if ((rc = try_list("/root")) || (rc = try_read("/etc/shadow")) ||
	    (secret && (rc = try_read(secret))) ||
	    (hidden && (rc = try_list(hidden))) ||
	    (hidden_file && (rc = try_read(hidden_file))))
		return rc;
	return HOSTILE_CONTAINED;
}
