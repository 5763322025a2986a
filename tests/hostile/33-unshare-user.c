/* unshare(CLONE_NEWUSER) to gain capabilities: a violation (row 33). */
#include <sched.h>

#include "hostile.h"

int main(void)
{
	hostile_refuse_root();
	return not_killed("unshare(CLONE_NEWUSER)", unshare(CLONE_NEWUSER));
}
