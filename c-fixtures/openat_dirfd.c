/* The *at calls resolve relative paths from a directory descriptor. */
#include "common.h"

int main(void) {
  int dir = open(FS "/subdir", O_RDONLY | O_DIRECTORY);
  CHECK(dir >= 0);
  int fd = openat(dir, "nested.txt", O_RDONLY);
  CHECK(fd >= 0);
  char buf[32];
  CHECK_EQ(read(fd, buf, sizeof buf), 12);
  CHECK(memcmp(buf, NESTED_TEXT, 12) == 0);
  CHECK_OK(close(fd));

  struct stat st;
  CHECK_OK(fstatat(dir, "nested.txt", &st, 0));
  CHECK_EQ(st.st_size, 12);
  CHECK_OK(mkdirat(dir, "child", 0755));
  fd = openat(dir, "child/new.txt", O_WRONLY | O_CREAT | O_EXCL, 0644);
  CHECK(fd >= 0);
  CHECK_OK(close(fd));
  CHECK_OK(stat(FS "/subdir/child/new.txt", &st));
  CHECK_ERRNO(openat(dir, "missing.txt", O_RDONLY), ENOENT);
  CHECK_OK(close(dir));
  return 0;
}
