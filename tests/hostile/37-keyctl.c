/* keyctl() on the session keyring, storage that outlives runs (row 37). */
#include <linux/keyctl.h>
#include <sys/syscall.h>

#include "hostile.h"

int main(void)
{
	hostile_refuse_root();
	return not_killed("keyctl(KEYCTL_GET_KEYRING_ID)",
	                  syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID,
	                          KEY_SPEC_SESSION_KEYRING, 1));
}
