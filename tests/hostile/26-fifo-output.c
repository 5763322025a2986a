/* Plants a FIFO where the harness expects output.txt (row 26). */
/* The suite checks that fs_read_beneath() says -EINVAL, without hanging. */
#include <sys/stat.h>

#include "hostile.h"

int main(void)
{
	hostile_refuse_root();
	if (mkfifo("output.txt", 0644) < 0) {
		report("mkfifo -> %s", errname(errno));
		return HOSTILE_BROKEN;
	}
	report("planted FIFO output.txt");
	return HOSTILE_CONTAINED;
}
