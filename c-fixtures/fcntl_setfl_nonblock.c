/* F_SETFL can switch O_NONBLOCK on and off; F_GETFL reports the change and
 * a regular file stays readable. */
#include "common.h"

int main(void) {
  int fd = open(HELLO_PATH, O_RDONLY);
  CHECK(fd >= 0);
  int fl = fcntl(fd, F_GETFL);
  CHECK(fl != -1);
  CHECK_EQ(fl & O_NONBLOCK, 0);
  CHECK_OK(fcntl(fd, F_SETFL, fl | O_NONBLOCK));
  fl = fcntl(fd, F_GETFL);
  CHECK(fl & O_NONBLOCK);
  char buf[5];
  CHECK_EQ(read(fd, buf, 5), 5);
  CHECK(memcmp(buf, "Hello", 5) == 0);
  CHECK_OK(fcntl(fd, F_SETFL, fl & ~O_NONBLOCK));
  fl = fcntl(fd, F_GETFL);
  CHECK_EQ(fl & O_NONBLOCK, 0);
  CHECK_OK(close(fd));
  /* opened with O_NONBLOCK from the start */
  fd = open(HELLO_PATH, O_RDONLY | O_NONBLOCK);
  CHECK(fd >= 0);
  CHECK(fcntl(fd, F_GETFL) & O_NONBLOCK);
  CHECK_OK(close(fd));
  return 0;
}
