/* Stack overflow by unbounded recursion (row 51). */
#include "hostile.h"

static int deeper(int n)
{
	volatile char frame[1024];

	frame[0] = (char)n;
	return deeper(n + 1) + frame[0]; /* not a tail call */
}

int main(void)
{
	hostile_refuse_root();
	return deeper(0);
}
