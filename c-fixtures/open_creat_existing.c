/* O_CREAT without O_EXCL or O_TRUNC opens an existing file unchanged. */
#include "common.h"

int main(void) {
  int fd = open(HELLO_PATH, O_RDWR | O_CREAT, 0644);
  CHECK(fd >= 0);
  struct stat st;
  CHECK_OK(fstat(fd, &st));
  CHECK_EQ(st.st_size, strlen(HELLO_TEXT));
  CHECK_EQ(lseek(fd, 0, SEEK_CUR), 0);
  CHECK_OK(close(fd));
  check_file(HELLO_PATH, HELLO_TEXT);
  return 0;
}
