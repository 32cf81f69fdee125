/* rename of a directory onto a regular file fails with ENOTDIR. */
#include "common.h"

int main(void) {
  CHECK_ERRNO(rename(FS "/subdir", HELLO_PATH), ENOTDIR);
  check_file(HELLO_PATH, HELLO_TEXT);
  check_file(NESTED_PATH, NESTED_TEXT);
  return 0;
}
