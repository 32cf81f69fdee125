/* utimensat sets access and modification times with nanosecond precision;
 * stat reads back the exact values. */
#include "common.h"

int main(void) {
  struct timespec ts[2] = {
      {.tv_sec = 1600000000, .tv_nsec = 123456789}, /* atime */
      {.tv_sec = 1700000000, .tv_nsec = 987654321}, /* mtime */
  };
  CHECK_OK(utimensat(AT_FDCWD, HELLO_PATH, ts, 0));
  struct stat st;
  CHECK_OK(stat(HELLO_PATH, &st));
  CHECK_EQ(st.st_atim.tv_sec, 1600000000);
  CHECK_EQ(st.st_atim.tv_nsec, 123456789);
  CHECK_EQ(st.st_mtim.tv_sec, 1700000000);
  CHECK_EQ(st.st_mtim.tv_nsec, 987654321);
  /* directories too */
  CHECK_OK(utimensat(AT_FDCWD, FS "/subdir", ts, 0));
  CHECK_OK(stat(FS "/subdir", &st));
  CHECK_EQ(st.st_mtim.tv_sec, 1700000000);
  CHECK_EQ(st.st_mtim.tv_nsec, 987654321);
  return 0;
}
