/* Fork bomb: every process forks forever (row 1). */
#include "hostile.h"

int main(void)
{
	hostile_refuse_root();
	for (;;)
		fork();
}
