/* futimens sets times with nanosecond precision on an open file; fstat and
 * stat read back the exact values. */
#include "common.h"

int main(void) {
  int fd = open(HELLO_PATH, O_RDWR);
  CHECK(fd >= 0);
  struct timespec ts[2] = {
      {.tv_sec = 1234567890, .tv_nsec = 1},
      {.tv_sec = 1500000000, .tv_nsec = 999999999},
  };
  CHECK_OK(futimens(fd, ts));
  struct stat st;
  CHECK_OK(fstat(fd, &st));
  CHECK_EQ(st.st_atim.tv_sec, 1234567890);
  CHECK_EQ(st.st_atim.tv_nsec, 1);
  CHECK_EQ(st.st_mtim.tv_sec, 1500000000);
  CHECK_EQ(st.st_mtim.tv_nsec, 999999999);
  CHECK_OK(close(fd));
  CHECK_OK(stat(HELLO_PATH, &st));
  CHECK_EQ(st.st_mtim.tv_sec, 1500000000);
  CHECK_EQ(st.st_mtim.tv_nsec, 999999999);
  return 0;
}
