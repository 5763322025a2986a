/* add_key() into the user keyring, shared by every run of a uid (row 37). */
#include <linux/keyctl.h>
#include <sys/syscall.h>

#include "hostile.h"

int main(void)
{
	hostile_refuse_root();
	return not_killed("add_key(user)",
	                  syscall(SYS_add_key, "user", "hostile", "x", 1,
	                          KEY_SPEC_USER_KEYRING));
}
