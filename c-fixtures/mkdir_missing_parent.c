/* mkdir fails with ENOENT when a parent is missing, and with ENOTDIR when a
 * parent is a file. */
#include "common.h"

int main(void) {
  CHECK_ERRNO(mkdir(FS "/no/such/parent", 0755), ENOENT);
  CHECK_ERRNO(mkdir(HELLO_PATH "/child", 0755), ENOTDIR);
  return 0;
}
