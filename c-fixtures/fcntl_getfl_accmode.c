/* F_GETFL reports the access mode a file was opened with. */
#include "common.h"

static int accmode(int flags) {
  int fd = open(HELLO_PATH, flags);
  CHECK(fd >= 0);
  int fl = fcntl(fd, F_GETFL);
  CHECK(fl != -1);
  CHECK_OK(close(fd));
  return fl & O_ACCMODE;
}

int main(void) {
  CHECK_EQ(accmode(O_RDONLY), O_RDONLY);
  CHECK_EQ(accmode(O_WRONLY), O_WRONLY);
  CHECK_EQ(accmode(O_RDWR), O_RDWR);
  return 0;
}
