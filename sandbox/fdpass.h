/*
 * fdpass.h - hand a descriptor to another process over a Unix socket
 * (SCM_RIGHTS): fdpass_send(sock, fd) and fdpass_recv(sock), or with a
 * tag byte saying what it is (fdpass_send_tag, fdpass_recv_tag). Header-
 * only, allocation-free (usable between fork and exec), so that the sandbox
 * and the probes share it. They return 0 / the fd, or -errno.
 */
#ifndef SANDBOX_FDPASS_H
#define SANDBOX_FDPASS_H

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

static inline int fdpass_send_tag(int sock, int fd, char tag)
{
	char data = tag;
	struct iovec iov = { &data, 1 };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr msg = { .msg_iov = &iov,
		              .msg_iovlen = 1,
		              .msg_control = u.buf,
		              .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &msg, MSG_NOSIGNAL) < 0 ? -errno : 0;
}

static inline int fdpass_send(int sock, int fd)
{
	return fdpass_send_tag(sock, fd, 'L');
}

/* The descriptor received (close-on-exec), or -errno (-EPIPE: the other
 * end closed without sending one); *tag is the sender's tag byte. */
static inline int fdpass_recv_tag(int sock, char *tag)
{
	char data = 0;
	struct iovec iov = { &data, 1 };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr msg = { .msg_iov = &iov,
		              .msg_iovlen = 1,
		              .msg_control = u.buf,
		              .msg_controllen = sizeof(u.buf) };
	struct cmsghdr *c;
	int fd = -1;
	ssize_t k;

	while ((k = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC)) < 0 &&
	       errno == EINTR)
		;
	if (k <= 0)
		return k < 0 ? -errno : -EPIPE;
	c = CMSG_FIRSTHDR(&msg);
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(c), sizeof(int));
	*tag = data;
	return fd >= 0 ? fd : -EPROTO;
}

static inline int fdpass_recv(int sock)
{
	char tag;

	return fdpass_recv_tag(sock, &tag);
}

#endif
