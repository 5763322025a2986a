/* Infinite CPU loop (row 9). */
#include "hostile.h"

int main(void)
{
	volatile unsigned long n = 0;

	hostile_refuse_root();
	for (;;)
		n++;
}
