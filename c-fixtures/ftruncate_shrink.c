/* ftruncate to a smaller size drops the tail; growing again afterwards gives
 * zeros, not the old bytes. */
#include "common.h"

int main(void) {
  int fd = open(HELLO_PATH, O_RDWR);
  CHECK(fd >= 0);
  CHECK_OK(ftruncate(fd, 5));
  struct stat st;
  CHECK_OK(fstat(fd, &st));
  CHECK_EQ(st.st_size, 5);
  char buf[16];
  CHECK_EQ(pread(fd, buf, sizeof buf, 0), 5);
  CHECK(memcmp(buf, "Hello", 5) == 0);
  CHECK_OK(ftruncate(fd, 8));
  CHECK_EQ(pread(fd, buf, sizeof buf, 0), 8);
  CHECK(memcmp(buf, "Hello\0\0\0", 8) == 0);
  CHECK_OK(ftruncate(fd, 0));
  CHECK_OK(fstat(fd, &st));
  CHECK_EQ(st.st_size, 0);
  CHECK_OK(close(fd));
  return 0;
}
