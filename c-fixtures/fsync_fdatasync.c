/* fsync and fdatasync succeed on a written file and keep its content. */
#include "common.h"

int main(void) {
  int fd = open(FS "/synced.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
  CHECK(fd >= 0);
  CHECK_EQ(write(fd, "durable", 7), 7);
  CHECK_EQ(fsync(fd), 0);
  CHECK_EQ(write(fd, "!", 1), 1);
  CHECK_EQ(fdatasync(fd), 0);
  CHECK_OK(close(fd));
  check_file(FS "/synced.txt", "durable!");
  return 0;
}
