/* rename of a directory onto a non-empty directory fails (ENOTEMPTY, or
 * EEXIST which POSIX also allows); both stay as they were. */
#include "common.h"

int main(void) {
  CHECK_OK(mkdir(FS "/full", 0755));
  put_file(FS "/full/keep.txt", "keep");
  CHECK_ERRNO2(rename(FS "/subdir", FS "/full"), ENOTEMPTY, EEXIST);
  check_file(FS "/full/keep.txt", "keep");
  check_file(NESTED_PATH, NESTED_TEXT);
  return 0;
}
