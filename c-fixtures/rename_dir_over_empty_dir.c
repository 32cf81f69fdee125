/* rename of a directory onto an existing empty directory replaces it. */
#include "common.h"

int main(void) {
  CHECK_OK(mkdir(FS "/empty", 0755));
  CHECK_OK(rename(FS "/subdir", FS "/empty"));
  check_file(FS "/empty/nested.txt", NESTED_TEXT);
  CHECK_ERRNO(access(FS "/subdir", F_OK), ENOENT);
  return 0;
}
