/* read on a file opened O_WRONLY fails with EBADF. */
#include "common.h"

int main(void) {
  int fd = open(HELLO_PATH, O_WRONLY);
  CHECK(fd >= 0);
  char buf[4];
  CHECK_ERRNO(read(fd, buf, sizeof buf), EBADF);
  CHECK_ERRNO(pread(fd, buf, sizeof buf, 0), EBADF);
  CHECK_OK(close(fd));
  return 0;
}
