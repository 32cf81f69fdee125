/* pread and pwrite use the given offset and do not move the file offset. */
#include "common.h"

int main(void) {
  int fd = open(HELLO_PATH, O_RDWR); /* "Hello, fixture!\n" */
  CHECK(fd >= 0);
  CHECK_EQ(lseek(fd, 3, SEEK_SET), 3);
  char buf[8];
  CHECK_EQ(pread(fd, buf, 7, 7), 7);
  CHECK(memcmp(buf, "fixture", 7) == 0);
  CHECK_EQ(lseek(fd, 0, SEEK_CUR), 3);
  CHECK_EQ(pwrite(fd, "J", 1, 0), 1);
  CHECK_EQ(lseek(fd, 0, SEEK_CUR), 3);
  /* pread at or past the end returns 0 */
  CHECK_EQ(pread(fd, buf, sizeof buf, 16), 0);
  CHECK_EQ(pread(fd, buf, sizeof buf, 1000), 0);
  /* a plain read continues from offset 3 */
  CHECK_EQ(read(fd, buf, 2), 2);
  CHECK(memcmp(buf, "lo", 2) == 0);
  CHECK_OK(close(fd));
  check_file(HELLO_PATH, "Jello, fixture!\n");
  return 0;
}
