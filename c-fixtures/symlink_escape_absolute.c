/* A symlink with an absolute target must not give access to the host
 * filesystem: either creating it or opening through it is refused with
 * ENOTCAPABLE or EPERM. */
#include "common.h"

int main(void) {
  errno = 0;
  if (symlink("/etc/passwd", FS "/abs") == -1) {
    CHECK(errno == ENOTCAPABLE || errno == EPERM);
    return 0;
  }
  CHECK_ERRNO2(open(FS "/abs", O_RDONLY), ENOTCAPABLE, EPERM);
  CHECK_OK(symlink("/", FS "/root"));
  CHECK_ERRNO2(open(FS "/root", O_RDONLY | O_DIRECTORY), ENOTCAPABLE, EPERM);
  return 0;
}
