/* pause() forever (row 11). */
#include "hostile.h"

int main(void)
{
	hostile_refuse_root();
	for (;;)
		pause();
}
