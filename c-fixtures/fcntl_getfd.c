/* F_GETFD succeeds on an open file and reports no flag other than
 * FD_CLOEXEC; F_SETFD accepts FD_CLOEXEC. */
#include "common.h"

int main(void) {
  int fd = open(HELLO_PATH, O_RDONLY);
  CHECK(fd >= 0);
  int r = fcntl(fd, F_GETFD);
  CHECK(r >= 0);
  CHECK_EQ(r & ~FD_CLOEXEC, 0);
  CHECK_OK(fcntl(fd, F_SETFD, FD_CLOEXEC));
  r = fcntl(fd, F_GETFD);
  CHECK(r >= 0);
  CHECK_OK(close(fd));
  return 0;
}
