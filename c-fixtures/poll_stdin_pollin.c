/* poll on stdin holding data reports POLLIN; the data is then read. */
#include <poll.h>

#include "common.h"

int main(void) {
  struct pollfd p = {.fd = 0, .events = POLLIN};
  int r = poll(&p, 1, 5000);
  CHECK_EQ(r, 1);
  CHECK(p.revents & POLLIN);
  char buf[16];
  CHECK_EQ(read(0, buf, sizeof buf), 6);
  CHECK(memcmp(buf, "ready\n", 6) == 0);
  return 0;
}
