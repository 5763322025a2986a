/* Thread bomb: pthread_create until it fails (row 3). */
#include <pthread.h>

#include "hostile.h"

static void *sleeper(void *arg)
{
	for (;;)
		pause();
	return arg;
}

int main(void)
{
	pthread_attr_t attr;
	pthread_t t;
	int n, err = 0;

	hostile_refuse_root();
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	for (n = 0; n < 100000; n++) {
		err = pthread_create(&t, &attr, sleeper, NULL);
		if (err)
			break;
	}
	if (!err) {
		report("created %d threads without a failure", n);
		return HOSTILE_ESCAPED;
	}
	report("pthread_create #%d -> %s", n + 1, errname(err));
	if (err != EAGAIN)
		return HOSTILE_ODD;
	return HOSTILE_CONTAINED;
}
