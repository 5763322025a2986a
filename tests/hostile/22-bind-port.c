/* Binds a port taken outside and a privileged port (row 22). */
/* HOSTILE_PORT is the test's own port; loopback between the program's
 * own sockets must keep working. */
#include <arpa/inet.h>
#include <sys/socket.h>

#include "hostile.h"

static int tcp_bind(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
		                  .sin_port = htons(port),
		                  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -1;
	return fd;
}

int main(void)
{
	const char *port = getenv("HOSTILE_PORT");
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int fd, c;

	hostile_refuse_root();
	if (!port)
		return HOSTILE_BROKEN;
	fd = tcp_bind(atoi(port));
	/* Own netns: bound in isolation; shared stack: EADDRINUSE. */
	report("bind(127.0.0.1:%s) -> %s", port, fd < 0 ? errname(errno) : "0");
	if (fd < 0 && errno != EADDRINUSE)
		return HOSTILE_ODD;
	fd = tcp_bind(80);
	/* Sharing the host's network (basic tier), port 80 is the host's to
	 * give: net.ipv4.ip_unprivileged_port_start <= 80 allows it to any
	 * user, and the suite says so with HOSTILE_PORT80_OPEN. */
	if (fd >= 0 && getenv("HOSTILE_PORT80_OPEN")) {
		report("bind(127.0.0.1:80) -> 0: the host lets every user bind "
		       "it (ip_unprivileged_port_start)");
		close(fd);
	} else if (fd >= 0 || errno != EACCES) {
		report("bind(127.0.0.1:80) -> %s",
		       fd < 0 ? errname(errno) : "0");
		return fd >= 0 ? HOSTILE_ESCAPED : HOSTILE_ODD;
	} else {
		report("bind(127.0.0.1:80) -> EACCES");
	}
	fd = tcp_bind(0);
	c = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || listen(fd, 1) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) < 0 ||
	    connect(c, (struct sockaddr *)&sa, len) < 0) {
		report("loopback to itself failed: %s", errname(errno));
		return HOSTILE_BROKEN;
	}
	report("loopback to itself works");
	return HOSTILE_CONTAINED;
}
