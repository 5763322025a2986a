/* Outbound TCP connect to a non-loopback address (row 21). */
/* TEST-NET-1 192.0.2.1 port 9: documentation space, no real host. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>

#include "hostile.h"

int main(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(9) };
	struct pollfd pfd;
	int fd, rc;

	hostile_refuse_root();
	inet_pton(AF_INET, "192.0.2.1", &sa.sin_addr);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return HOSTILE_BROKEN;
	rc = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	if (rc < 0 && errno == EINPROGRESS) {
		pfd = (struct pollfd){ .fd = fd, .events = POLLOUT };
		rc = poll(&pfd, 1, 200);
		report("connect(192.0.2.1:9) -> EINPROGRESS, poll -> %d", rc);
		rc = 0; /* a route out exists */
	} else {
		report("connect(192.0.2.1:9) -> %s", rc ? errname(errno) : "0");
	}
	close(fd);
	if (hostile_tier_is_basic()) {
		report("basic tier: no network namespace, only no crash");
		return HOSTILE_CONTAINED;
	}
	if (rc == 0)
		return HOSTILE_ESCAPED;
	return errno == ENETUNREACH ? HOSTILE_CONTAINED : HOSTILE_ODD;
}
