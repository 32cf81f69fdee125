/* rename of a file onto an existing file replaces it atomically. */
#include "common.h"

int main(void) {
  put_file(FS "/target.txt", "old target content");
  CHECK_OK(rename(HELLO_PATH, FS "/target.txt"));
  check_file(FS "/target.txt", HELLO_TEXT);
  CHECK_ERRNO(access(HELLO_PATH, F_OK), ENOENT);
  return 0;
}
