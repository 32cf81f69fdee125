/* isatty on a regular file returns 0 with ENOTTY; on a closed descriptor
 * it returns 0 with EBADF. */
#include "common.h"

int main(void) {
  int fd = open(HELLO_PATH, O_RDONLY);
  CHECK(fd >= 0);
  errno = 0;
  CHECK_EQ(isatty(fd), 0);
  CHECK_EQ(errno, ENOTTY);
  CHECK_OK(close(fd));
  errno = 0;
  CHECK_EQ(isatty(fd), 0);
  CHECK_EQ(errno, EBADF);
  return 0;
}
