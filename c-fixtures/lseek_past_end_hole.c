/* Seeking past the end and writing extends the file; the gap reads back as
 * zero bytes. */
#include "common.h"

int main(void) {
  const char *path = FS "/hole.bin";
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
  CHECK(fd >= 0);
  CHECK_EQ(write(fd, "ab", 2), 2);
  CHECK_EQ(lseek(fd, 10000, SEEK_SET), 10000); /* seeking alone... */
  struct stat st;
  CHECK_OK(fstat(fd, &st));
  CHECK_EQ(st.st_size, 2); /* ...does not change the size */
  CHECK_EQ(write(fd, "cd", 2), 2);
  CHECK_OK(fstat(fd, &st));
  CHECK_EQ(st.st_size, 10002);

  static char buf[10002];
  CHECK_EQ(pread(fd, buf, sizeof buf, 0), 10002);
  CHECK(buf[0] == 'a' && buf[1] == 'b');
  for (int i = 2; i < 10000; i++)
    CHECK_EQ(buf[i], 0);
  CHECK(buf[10000] == 'c' && buf[10001] == 'd');
  CHECK_OK(close(fd));
  return 0;
}
