/* abort(): reported as signaled by SIGABRT (row 52). */
#include "hostile.h"

int main(void)
{
	hostile_refuse_root();
	abort();
}
