/* 64-bit file offsets: one byte written at 5 GiB gives a 5 GiB + 1 file,
 * the byte reads back, and the hole before it reads as zeros. */
#include "common.h"

_Static_assert(sizeof(off_t) == 8, "off_t must be 64-bit");

#define GIB (1024LL * 1024 * 1024)

int main(void) {
  const char *path = FS "/big.bin";
  const off_t off = 5 * GIB;
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
  CHECK(fd >= 0);
  CHECK_EQ(pwrite(fd, "Z", 1, off), 1);
  struct stat st;
  CHECK_OK(fstat(fd, &st));
  CHECK_EQ(st.st_size, off + 1);
  CHECK_EQ(file_size(path), off + 1);

  char c = 0;
  CHECK_EQ(pread(fd, &c, 1, off), 1);
  CHECK_EQ(c, 'Z');
  CHECK_EQ(pread(fd, &c, 1, off + 1), 0);

  static char buf[4096];
  const off_t probes[] = {0, 4 * GIB - 2048, 4 * GIB, off - (off_t)sizeof buf};
  for (size_t p = 0; p < sizeof probes / sizeof probes[0]; p++) {
    memset(buf, 0x55, sizeof buf);
    CHECK_EQ(pread(fd, buf, sizeof buf, probes[p]), sizeof buf);
    for (size_t i = 0; i < sizeof buf; i++)
      CHECK_EQ(buf[i], 0);
  }

  CHECK_EQ(lseek(fd, 0, SEEK_END), off + 1);
  CHECK_EQ(lseek(fd, -1, SEEK_CUR), off);
  CHECK_EQ(read(fd, &c, 1), 1);
  CHECK_EQ(c, 'Z');
  CHECK_OK(close(fd));
  CHECK_OK(unlink(path));
  return 0;
}
