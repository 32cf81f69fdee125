/* A regular file is always ready: poll reports POLLIN and POLLOUT at once. */
#include <poll.h>

#include "common.h"

int main(void) {
  int fd = open(HELLO_PATH, O_RDWR);
  CHECK(fd >= 0);
  struct pollfd p = {.fd = fd, .events = POLLIN | POLLOUT};
  CHECK_EQ(poll(&p, 1, 5000), 1);
  CHECK(p.revents & POLLIN);
  CHECK(p.revents & POLLOUT);
  CHECK_OK(close(fd));
  return 0;
}
