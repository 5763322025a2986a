/* bpf(BPF_MAP_CREATE): a violation (row 37). */
#include <linux/bpf.h>
#include <sys/syscall.h>

#include "hostile.h"

int main(void)
{
	union bpf_attr attr = { .map_type = BPF_MAP_TYPE_ARRAY,
		                .key_size = 4,
		                .value_size = 4,
		                .max_entries = 1 };

	hostile_refuse_root();
	return not_killed(
	    "bpf(BPF_MAP_CREATE)",
	    syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof(attr)));
}
