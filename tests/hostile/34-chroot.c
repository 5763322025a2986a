/* chroot(): a violation (row 34). */
#include "hostile.h"

int main(void)
{
	hostile_refuse_root();
	return not_killed("chroot(/tmp)", chroot("/tmp"));
}
