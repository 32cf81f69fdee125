/* An lseek whose resulting offset would be negative fails with EINVAL and
 * leaves the offset unchanged. */
#include "common.h"

int main(void) {
  int fd = open(HELLO_PATH, O_RDONLY);
  CHECK(fd >= 0);
  CHECK_EQ(lseek(fd, 5, SEEK_SET), 5);
  CHECK_ERRNO(lseek(fd, -1, SEEK_SET), EINVAL);
  CHECK_ERRNO(lseek(fd, -6, SEEK_CUR), EINVAL);
  CHECK_ERRNO(lseek(fd, -100, SEEK_END), EINVAL);
  CHECK_EQ(lseek(fd, 0, SEEK_CUR), 5);
  CHECK_OK(close(fd));
  return 0;
}
