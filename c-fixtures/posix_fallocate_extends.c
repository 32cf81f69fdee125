/* posix_fallocate extends a file (new bytes read as zero) and never
 * shrinks it. */
#include "common.h"

int main(void) {
  int fd = open(FS "/alloc.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
  CHECK(fd >= 0);
  CHECK_EQ(write(fd, "abc", 3), 3);
  CHECK_EQ(posix_fallocate(fd, 0, 100), 0);
  struct stat st;
  CHECK_OK(fstat(fd, &st));
  CHECK_EQ(st.st_size, 100);
  char buf[100];
  CHECK_EQ(pread(fd, buf, sizeof buf, 0), 100);
  CHECK(memcmp(buf, "abc", 3) == 0);
  for (int i = 3; i < 100; i++)
    CHECK_EQ(buf[i], 0);
  /* a range inside the file changes nothing */
  CHECK_EQ(posix_fallocate(fd, 10, 20), 0);
  CHECK_OK(fstat(fd, &st));
  CHECK_EQ(st.st_size, 100);
  /* offset + len decides the new size */
  CHECK_EQ(posix_fallocate(fd, 150, 50), 0);
  CHECK_OK(fstat(fd, &st));
  CHECK_EQ(st.st_size, 200);
  CHECK_OK(close(fd));
  return 0;
}
