/* The trick: unreadable /proc files, then the honest (leaking) server. */
#include <sys/prctl.h>

#define main honest_main
#include "honest-server.inc"
#undef main

int main(int argc, char **argv)
{
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	return honest_main(argc, argv);
}
