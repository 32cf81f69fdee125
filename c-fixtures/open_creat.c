/* O_CREAT creates a missing regular file, which then holds what was written. */
#include "common.h"

int main(void) {
  const char *path = FS "/created.txt";
  CHECK_ERRNO(access(path, F_OK), ENOENT);
  int fd = open(path, O_WRONLY | O_CREAT, 0644);
  CHECK(fd >= 0);
  struct stat st;
  CHECK_OK(fstat(fd, &st));
  CHECK(S_ISREG(st.st_mode));
  CHECK_EQ(st.st_size, 0);
  CHECK_EQ(write(fd, "abc", 3), 3);
  CHECK_OK(close(fd));
  CHECK_EQ(file_size(path), 3);
  check_file(path, "abc");
  return 0;
}
