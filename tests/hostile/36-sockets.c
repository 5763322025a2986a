/* Raw, packet, netlink, vsock and alg sockets (row 36). */
/* getaddrinfo("localhost") must still work afterwards. */
#include <linux/netlink.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "hostile.h"

static const struct {
	const char *name;
	int domain, type, protocol;
} tries[] = {
	{ "AF_INET, SOCK_RAW", AF_INET, SOCK_RAW, IPPROTO_ICMP },
	{ "AF_INET, SOCK_RAW|SOCK_NONBLOCK", AF_INET, SOCK_RAW | SOCK_NONBLOCK,
	  IPPROTO_ICMP },
	{ "AF_INET6, SOCK_RAW", AF_INET6, SOCK_RAW, IPPROTO_ICMPV6 },
	{ "AF_INET, SOCK_PACKET", AF_INET, SOCK_PACKET, 0 },
	{ "AF_PACKET, SOCK_DGRAM", AF_PACKET, SOCK_DGRAM, 0 },
	{ "AF_NETLINK, SOCK_DGRAM", AF_NETLINK, SOCK_DGRAM, NETLINK_ROUTE },
	{ "AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC", AF_NETLINK,
	  SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE },
	{ "AF_VSOCK, SOCK_STREAM", AF_VSOCK, SOCK_STREAM, 0 },
	{ "AF_ALG, SOCK_SEQPACKET", AF_ALG, SOCK_SEQPACKET, 0 },
};

int main(void)
{
	struct addrinfo hints = { .ai_flags = AI_ADDRCONFIG }, *res;
	char what[64];
	unsigned i;
	int rc;

	hostile_refuse_root();
	for (i = 0; i < sizeof(tries) / sizeof(tries[0]); i++) {
		snprintf(what, sizeof(what), "socket(%s)", tries[i].name);
		expect_errno(
		    what,
		    socket(tries[i].domain, tries[i].type, tries[i].protocol),
		    EPERM, EAFNOSUPPORT);
	}
	rc = getaddrinfo("localhost", "80", &hints, &res);
	if (rc) {
		report("getaddrinfo(localhost) -> %s", gai_strerror(rc));
		return HOSTILE_BROKEN;
	}
	report("getaddrinfo(localhost) still works");
	return HOSTILE_CONTAINED;
}
