/* A relative path that climbs above the preopen with ".." is refused with
 * ENOTCAPABLE or EPERM, even when it would lead back inside. */
#include "common.h"

int main(void) {
  CHECK_ERRNO2(open(FS "/..", O_RDONLY | O_DIRECTORY), ENOTCAPABLE, EPERM);
  CHECK_ERRNO2(open(FS "/subdir/../../outside.txt", O_WRONLY | O_CREAT, 0644),
               ENOTCAPABLE, EPERM);
  CHECK_ERRNO2(open(FS "/../" HELLO_PATH, O_RDONLY), ENOTCAPABLE, EPERM);
  return 0;
}
