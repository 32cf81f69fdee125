/* rmdir on a regular file fails with ENOTDIR and the file stays. */
#include "common.h"

int main(void) {
  CHECK_ERRNO(rmdir(HELLO_PATH), ENOTDIR);
  check_file(HELLO_PATH, HELLO_TEXT);
  return 0;
}
