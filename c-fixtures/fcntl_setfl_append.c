/* F_SETFL can switch O_APPEND on and off; F_GETFL reports it and writes
 * follow it. */
#include "common.h"

int main(void) {
  int fd = open(HELLO_PATH, O_WRONLY);
  CHECK(fd >= 0);
  int fl = fcntl(fd, F_GETFL);
  CHECK(fl != -1);
  CHECK_EQ(fl & O_APPEND, 0);
  CHECK_OK(fcntl(fd, F_SETFL, fl | O_APPEND));
  fl = fcntl(fd, F_GETFL);
  CHECK(fl != -1);
  CHECK(fl & O_APPEND);
  CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
  CHECK_EQ(write(fd, "A", 1), 1); /* goes to the end */
  CHECK_OK(fcntl(fd, F_SETFL, fl & ~O_APPEND));
  fl = fcntl(fd, F_GETFL);
  CHECK_EQ(fl & O_APPEND, 0);
  CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
  CHECK_EQ(write(fd, "B", 1), 1); /* overwrites the first byte */
  CHECK_OK(close(fd));
  check_file(HELLO_PATH, "Bello, fixture!\nA");
  return 0;
}
