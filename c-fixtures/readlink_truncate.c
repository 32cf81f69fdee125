/* readlink into a too-small buffer truncates the target and returns the
 * buffer size. */
#include "common.h"

int main(void) {
  CHECK_OK(symlink("subdir/nested.txt", FS "/sl"));
  char buf[8];
  memset(buf, '#', sizeof buf);
  CHECK_EQ(readlink(FS "/sl", buf, 4), 4);
  CHECK(memcmp(buf, "subd", 4) == 0);
  CHECK_EQ(buf[4], '#');
  return 0;
}
