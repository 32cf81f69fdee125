/* Closing a descriptor twice fails the second time with EBADF; the closed
 * descriptor can no longer be used. */
#include "common.h"

int main(void) {
  int fd = open(HELLO_PATH, O_RDONLY);
  CHECK(fd >= 0);
  CHECK_EQ(close(fd), 0);
  CHECK_ERRNO(close(fd), EBADF);
  char c;
  CHECK_ERRNO(read(fd, &c, 1), EBADF);
  CHECK_ERRNO(close(12345), EBADF);
  return 0;
}
