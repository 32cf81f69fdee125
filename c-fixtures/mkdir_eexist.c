/* mkdir fails with EEXIST when the name is taken by a directory or a file. */
#include "common.h"

int main(void) {
  CHECK_ERRNO(mkdir(FS "/subdir", 0755), EEXIST);
  CHECK_ERRNO(mkdir(HELLO_PATH, 0755), EEXIST);
  check_file(HELLO_PATH, HELLO_TEXT);
  return 0;
}
