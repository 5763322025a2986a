/* The trick: a static program (see the Makefile) that says the handler
 * probe's hello itself, on the probe's descriptor. */
#include <stdio.h>
#include <unistd.h>

__attribute__((constructor)) static void hello(void)
{
	dprintf(3, "hello %d 401000\n", (int)getpid());
}
