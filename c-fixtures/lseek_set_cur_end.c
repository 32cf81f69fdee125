/* lseek with SEEK_SET, SEEK_CUR and SEEK_END returns the new offset, and
 * reads continue from there. */
#include "common.h"

int main(void) {
  int fd = open(HELLO_PATH, O_RDONLY); /* "Hello, fixture!\n" */
  CHECK(fd >= 0);
  char c;
  CHECK_EQ(lseek(fd, 7, SEEK_SET), 7);
  CHECK_EQ(read(fd, &c, 1), 1);
  CHECK_EQ(c, 'f');
  CHECK_EQ(lseek(fd, 0, SEEK_CUR), 8);
  CHECK_EQ(lseek(fd, 2, SEEK_CUR), 10);
  CHECK_EQ(read(fd, &c, 1), 1);
  CHECK_EQ(c, 't');
  CHECK_EQ(lseek(fd, -3, SEEK_CUR), 8);
  CHECK_EQ(read(fd, &c, 1), 1);
  CHECK_EQ(c, 'i');
  CHECK_EQ(lseek(fd, 0, SEEK_END), 16);
  CHECK_EQ(lseek(fd, -2, SEEK_END), 14);
  CHECK_EQ(read(fd, &c, 1), 1);
  CHECK_EQ(c, '!');
  CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
  CHECK_EQ(read(fd, &c, 1), 1);
  CHECK_EQ(c, 'H');
  CHECK_OK(close(fd));
  return 0;
}
