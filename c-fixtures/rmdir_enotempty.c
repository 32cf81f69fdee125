/* rmdir on a non-empty directory fails (ENOTEMPTY, or EEXIST which POSIX also
 * allows) and the directory stays. */
#include "common.h"

int main(void) {
  CHECK_ERRNO2(rmdir(FS "/subdir"), ENOTEMPTY, EEXIST);
  check_file(NESTED_PATH, NESTED_TEXT);
  return 0;
}
