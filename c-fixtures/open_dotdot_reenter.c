/* A path that leaves the preopen with ".." is refused (ENOTCAPABLE or EPERM)
 * even when it names the preopen again and would end up inside it: the
 * guest cannot rely on the host-side name of the preopened directory. */
#include "common.h"

int main(void) {
  CHECK_ERRNO2(open(FS "/../" HELLO_PATH, O_RDONLY), ENOTCAPABLE, EPERM);
  CHECK_ERRNO2(open(FS "/subdir/../../" NESTED_PATH, O_RDONLY), ENOTCAPABLE,
               EPERM);
  return 0;
}
