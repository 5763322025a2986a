/* i386 getpid through int 0x80 from a 64-bit binary (row 30). */
#include "hostile.h"

int main(void)
{
	long rc = 20; /* __NR_getpid on i386 */

	hostile_refuse_root();
	__asm__ volatile("int $0x80" : "+a"(rc) : : "memory");
	return not_killed("int 0x80 getpid", rc);
}
