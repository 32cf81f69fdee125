/* A file unlinked while open stays readable and writable through the open
 * descriptor. */
#include "common.h"

int main(void) {
  int fd = open(HELLO_PATH, O_RDWR);
  CHECK(fd >= 0);
  CHECK_OK(unlink(HELLO_PATH));
  CHECK_ERRNO(access(HELLO_PATH, F_OK), ENOENT);
  char buf[32];
  CHECK_EQ(read(fd, buf, sizeof buf), 16);
  CHECK(memcmp(buf, HELLO_TEXT, 16) == 0);
  CHECK_EQ(write(fd, "tail", 4), 4);
  CHECK_EQ(pread(fd, buf, sizeof buf, 0), 20);
  CHECK(memcmp(buf, HELLO_TEXT "tail", 20) == 0);
  CHECK_OK(close(fd));
  /* The name can be reused for a new, unrelated file. */
  put_file(HELLO_PATH, "new");
  check_file(HELLO_PATH, "new");
  return 0;
}
