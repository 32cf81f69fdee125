/* Moving a directory into its own subtree fails with EINVAL. */
#include "common.h"

int main(void) {
  CHECK_OK(mkdir(FS "/subdir/inner", 0755));
  CHECK_ERRNO(rename(FS "/subdir", FS "/subdir/inner/again"), EINVAL);
  check_file(NESTED_PATH, NESTED_TEXT);
  return 0;
}
