/* Connects to an abstract Unix socket listening outside (row 20). */
/* HOSTILE_ABSTRACT names the socket the test listens on. */
#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "hostile.h"

int main(void)
{
	const char *name = getenv("HOSTILE_ABSTRACT");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	socklen_t len;
	int fd;

	hostile_refuse_root();
	if (!name || strlen(name) + 1 >= sizeof(sa.sun_path))
		return HOSTILE_BROKEN;
	strcpy(sa.sun_path + 1, name); /* sun_path[0] = 0: abstract */
	len = offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0)
		return HOSTILE_BROKEN;
	if (connect(fd, (struct sockaddr *)&sa, len) == 0) {
		report("connect(@%s) -> 0: reached the outside", name);
		if (hostile_tier_is_basic() && !getenv("HOSTILE_SCOPED")) {
			report("known gap of the basic tier without Landlock "
			       "scoping (no netns)");
			return HOSTILE_CONTAINED;
		}
		return HOSTILE_ESCAPED;
	}
	report("connect(@%s) -> %s", name, errname(errno));
	return errno == ECONNREFUSED || errno == EPERM ? HOSTILE_CONTAINED
	                                               : HOSTILE_ODD;
}
