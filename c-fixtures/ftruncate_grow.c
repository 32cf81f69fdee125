/* ftruncate to a larger size zero-fills the new bytes and leaves the file
 * offset where it was. */
#include "common.h"

int main(void) {
  const char *path = FS "/grow.bin";
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
  CHECK(fd >= 0);
  CHECK_EQ(write(fd, "abc", 3), 3);
  CHECK_OK(ftruncate(fd, 4096));
  struct stat st;
  CHECK_OK(fstat(fd, &st));
  CHECK_EQ(st.st_size, 4096);
  CHECK_EQ(lseek(fd, 0, SEEK_CUR), 3);
  static char buf[4096];
  CHECK_EQ(pread(fd, buf, sizeof buf, 0), 4096);
  CHECK(memcmp(buf, "abc", 3) == 0);
  for (int i = 3; i < 4096; i++)
    CHECK_EQ(buf[i], 0);
  CHECK_OK(close(fd));
  return 0;
}
