/* personality(READ_IMPLIES_EXEC) to weaken NX: a violation (row 38). */
#include <sys/personality.h>

#include "hostile.h"

int main(void)
{
	int cur;

	hostile_refuse_root();
	cur = personality(0xffffffff); /* a query, allowed */
	if (cur < 0) {
		report("personality(query) -> %s", errname(errno));
		return HOSTILE_BROKEN;
	}
	report("personality(query) -> 0x%x", cur);
	return not_killed("personality(READ_IMPLIES_EXEC)",
	                  personality(READ_IMPLIES_EXEC));
}
