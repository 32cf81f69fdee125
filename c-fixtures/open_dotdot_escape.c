/* A relative path that climbs above the preopen with ".." is refused with
 * ENOTCAPABLE or EPERM. */
#include "common.h"

int main(void) {
  CHECK_ERRNO2(open(FS "/..", O_RDONLY | O_DIRECTORY), ENOTCAPABLE, EPERM);
  CHECK_ERRNO2(open(FS "/subdir/../../outside.txt", O_WRONLY | O_CREAT, 0644),
               ENOTCAPABLE, EPERM);
  return 0;
}
