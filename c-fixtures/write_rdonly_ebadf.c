/* write on a file opened O_RDONLY fails with EBADF and changes nothing. */
#include "common.h"

int main(void) {
  int fd = open(HELLO_PATH, O_RDONLY);
  CHECK(fd >= 0);
  CHECK_ERRNO(write(fd, "x", 1), EBADF);
  CHECK_ERRNO(pwrite(fd, "x", 1, 0), EBADF);
  CHECK_OK(close(fd));
  check_file(HELLO_PATH, HELLO_TEXT);
  return 0;
}
