/* stdin is a stream: lseek on it fails with ESPIPE, and its data is still
 * read in full afterwards. */
#include "common.h"

int main(void) {
  CHECK_ERRNO(lseek(0, 0, SEEK_CUR), ESPIPE);
  CHECK_ERRNO(lseek(0, 0, SEEK_SET), ESPIPE);
  CHECK_ERRNO(lseek(0, 0, SEEK_END), ESPIPE);
  char buf[64];
  size_t total = 0;
  for (;;) {
    ssize_t n = read(0, buf + total, sizeof buf - total);
    CHECK(n >= 0);
    if (n == 0)
      break;
    total += (size_t)n;
  }
  CHECK_EQ(total, 11);
  CHECK(memcmp(buf, "some input\n", 11) == 0);
  return 0;
}
