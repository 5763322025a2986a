/* process_vm_readv() of the parent's memory: a violation (row 7). */
#include <sys/uio.h>

#include "hostile.h"

int main(void)
{
	char buf[64];
	struct iovec local = { buf, sizeof(buf) };
	struct iovec remote = { (void *)0x400000, sizeof(buf) };
	long rc;

	hostile_refuse_root();
	rc = process_vm_readv(getppid(), &local, 1, &remote, 1, 0);
	return not_killed("process_vm_readv(parent)", rc);
}
