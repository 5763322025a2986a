/* 200 MiB MAP_SHARED|MAP_ANONYMOUS touched: RLIMIT_DATA misses it (row 16). */
#include <sys/mman.h>

#include "hostile.h"

#define SIZE ((size_t)200 << 20)

int main(void)
{
	char *p;
	size_t i;

	hostile_refuse_root();
	p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
	         -1, 0);
	if (p == MAP_FAILED) {
		report("mmap(200 MiB, MAP_SHARED|MAP_ANONYMOUS) -> %s",
		       errname(errno));
		return errno == ENOMEM ? HOSTILE_CONTAINED : HOSTILE_ODD;
	}
	for (i = 0; i < SIZE; i += 4096)
		p[i] = 1;
	report("touched 200 MiB of shared anonymous memory");
	return HOSTILE_ESCAPED;
}
