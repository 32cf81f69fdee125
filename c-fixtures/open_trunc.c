/* O_TRUNC empties an existing file on open. */
#include "common.h"

int main(void) {
  CHECK_EQ(file_size(HELLO_PATH), strlen(HELLO_TEXT));
  int fd = open(HELLO_PATH, O_WRONLY | O_TRUNC);
  CHECK(fd >= 0);
  struct stat st;
  CHECK_OK(fstat(fd, &st));
  CHECK_EQ(st.st_size, 0);
  CHECK_EQ(write(fd, "new", 3), 3);
  CHECK_OK(close(fd));
  check_file(HELLO_PATH, "new");
  return 0;
}
