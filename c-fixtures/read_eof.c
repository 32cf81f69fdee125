/* read returns the bytes that are left, then 0 at end of file (also after
 * seeking past the end). */
#include "common.h"

int main(void) {
  int fd = open(HELLO_PATH, O_RDONLY);
  CHECK(fd >= 0);
  char buf[64];
  CHECK_EQ(read(fd, buf, 10), 10);
  CHECK_EQ(read(fd, buf, sizeof buf), 6);
  CHECK(memcmp(buf, "ture!\n", 6) == 0);
  CHECK_EQ(read(fd, buf, sizeof buf), 0);
  CHECK_EQ(read(fd, buf, sizeof buf), 0);
  CHECK_EQ(lseek(fd, 100, SEEK_SET), 100);
  CHECK_EQ(read(fd, buf, sizeof buf), 0);
  CHECK_OK(close(fd));
  return 0;
}
