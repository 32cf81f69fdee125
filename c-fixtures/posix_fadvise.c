/* posix_fadvise accepts every standard advice on a regular file (returns 0)
 * and rejects a negative length with EINVAL. */
#include "common.h"

int main(void) {
  int fd = open(HELLO_PATH, O_RDONLY);
  CHECK(fd >= 0);
  CHECK_EQ(posix_fadvise(fd, 0, 0, POSIX_FADV_NORMAL), 0);
  CHECK_EQ(posix_fadvise(fd, 0, 16, POSIX_FADV_SEQUENTIAL), 0);
  CHECK_EQ(posix_fadvise(fd, 4, 8, POSIX_FADV_RANDOM), 0);
  CHECK_EQ(posix_fadvise(fd, 0, 0, POSIX_FADV_WILLNEED), 0);
  CHECK_EQ(posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED), 0);
  CHECK_EQ(posix_fadvise(fd, 0, 0, POSIX_FADV_NOREUSE), 0);
  CHECK_EQ(posix_fadvise(fd, 0, -1, POSIX_FADV_NORMAL), EINVAL);
  CHECK_OK(close(fd));
  check_file(HELLO_PATH, HELLO_TEXT);
  return 0;
}
