/* fstat reports a regular file with its current size, following writes. */
#include "common.h"

int main(void) {
  int fd = open(HELLO_PATH, O_RDWR);
  CHECK(fd >= 0);
  struct stat st;
  CHECK_OK(fstat(fd, &st));
  CHECK(S_ISREG(st.st_mode));
  CHECK_EQ(st.st_size, 16);
  CHECK(st.st_nlink >= 1);
  CHECK_EQ(lseek(fd, 0, SEEK_END), 16);
  CHECK_EQ(write(fd, "more", 4), 4);
  CHECK_OK(fstat(fd, &st));
  CHECK_EQ(st.st_size, 20);
  struct stat by_path;
  CHECK_OK(stat(HELLO_PATH, &by_path));
  CHECK_EQ(by_path.st_ino, st.st_ino);
  CHECK_EQ(by_path.st_dev, st.st_dev);
  CHECK_OK(close(fd));
  return 0;
}
