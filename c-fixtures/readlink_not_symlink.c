/* readlink on something that is not a symlink fails with EINVAL; on a
 * missing name with ENOENT. */
#include "common.h"

int main(void) {
  char buf[64];
  CHECK_ERRNO(readlink(HELLO_PATH, buf, sizeof buf), EINVAL);
  CHECK_ERRNO(readlink(FS "/subdir", buf, sizeof buf), EINVAL);
  CHECK_ERRNO(readlink(FS "/missing", buf, sizeof buf), ENOENT);
  return 0;
}
