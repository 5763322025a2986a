/* The trick: the leader thread exits and a second thread serves, so that
 * the descriptors are not found under the leader's /proc/PID/fd. */
#define main honest_main
#include "honest-server.inc"
#undef main

#include <pthread.h>

static int args_c;
static char **args_v;

static void *serve_all(void *unused)
{
	(void)unused;
	exit(honest_main(args_c, args_v));
}

int main(int argc, char **argv)
{
	pthread_t t;

	args_c = argc;
	args_v = argv;
	if (pthread_create(&t, NULL, serve_all, NULL) != 0)
		return honest_main(argc, argv);
	pthread_exit(NULL);
}
