/* The trick: every pipe() of the honest twin is a socketpair(). */
#include <sys/socket.h>
#include <unistd.h>

#define pipe(fds) socketpair(AF_UNIX, SOCK_STREAM, 0, (fds))
#include "honest-pipe.inc"
