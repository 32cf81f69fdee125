/* O_DIRECTORY on a regular file fails with ENOTDIR; on a directory it
 * succeeds. */
#include "common.h"

int main(void) {
  CHECK_ERRNO(open(HELLO_PATH, O_RDONLY | O_DIRECTORY), ENOTDIR);
  int fd = open(FS "/subdir", O_RDONLY | O_DIRECTORY);
  CHECK(fd >= 0);
  CHECK_OK(close(fd));
  return 0;
}
