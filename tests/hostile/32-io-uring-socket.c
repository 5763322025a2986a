/* IORING_OP_SOCKET: a netlink socket behind the filter's back (row 32). */
#include <linux/io_uring.h>
#include <linux/netlink.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "hostile.h"

int main(void)
{
	struct io_uring_params p = { 0 };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	char *sq, *cq;
	unsigned *tail;
	int fd;

	hostile_refuse_root();
	fd = syscall(SYS_io_uring_setup, 4, &p);
	if (fd < 0) {
		expect_errno("io_uring_setup(4)", fd, ENOSYS, 0);
		return HOSTILE_CONTAINED;
	}
	sq = mmap(NULL, p.sq_off.array + p.sq_entries * 4,
	          PROT_READ | PROT_WRITE, MAP_SHARED, fd, IORING_OFF_SQ_RING);
	cq = mmap(NULL, p.cq_off.cqes + p.cq_entries * sizeof(*cqe),
	          PROT_READ | PROT_WRITE, MAP_SHARED, fd, IORING_OFF_CQ_RING);
	sqe = mmap(NULL, p.sq_entries * sizeof(*sqe), PROT_READ | PROT_WRITE,
	           MAP_SHARED, fd, IORING_OFF_SQES);
	if (sq == MAP_FAILED || cq == MAP_FAILED || sqe == MAP_FAILED)
		return HOSTILE_BROKEN;
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_SOCKET;
	sqe->fd = AF_NETLINK;
	sqe->off = SOCK_RAW;
	sqe->len = NETLINK_ROUTE;
	((unsigned *)(sq + p.sq_off.array))[0] = 0;
	tail = (unsigned *)(sq + p.sq_off.tail);
	__atomic_store_n(tail, *tail + 1, __ATOMIC_RELEASE);
	if (syscall(SYS_io_uring_enter, fd, 1, 1, IORING_ENTER_GETEVENTS, NULL,
	            0) < 0)
		return HOSTILE_BROKEN;
	cqe = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
	report("io_uring_setup -> fd %d; IORING_OP_SOCKET(AF_NETLINK) -> %d",
	       fd, cqe->res);
	return cqe->res >= 0 ? HOSTILE_ESCAPED : HOSTILE_ODD;
}
