/* Absolute paths outside every preopen cannot be opened: going above the
 * preopen with ".." is refused (ENOTCAPABLE or EPERM), and a path that
 * matches no preopen fails too. */
#include "common.h"

int main(void) {
  CHECK_ERRNO2(open("/" FS "/../../../../../etc/passwd", O_RDONLY), ENOTCAPABLE,
               EPERM);
  errno = 0;
  CHECK_EQ(open("/etc/passwd", O_RDONLY), -1);
  CHECK(errno == ENOTCAPABLE || errno == EPERM || errno == ENOENT);
  return 0;
}
