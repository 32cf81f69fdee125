/* rename of a file onto a directory fails with EISDIR. */
#include "common.h"

int main(void) {
  CHECK_OK(mkdir(FS "/emptydir", 0755));
  CHECK_ERRNO(rename(HELLO_PATH, FS "/emptydir"), EISDIR);
  CHECK_ERRNO(rename(HELLO_PATH, FS "/subdir"), EISDIR);
  check_file(HELLO_PATH, HELLO_TEXT);
  return 0;
}
