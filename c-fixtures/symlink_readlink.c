/* readlink returns a symlink's target text exactly, without a terminating
 * NUL counted; symlink onto an existing name fails with EEXIST. */
#include "common.h"

int main(void) {
  const char *target = "subdir/nested.txt";
  CHECK_OK(symlink(target, FS "/sl"));
  char buf[64];
  ssize_t n = readlink(FS "/sl", buf, sizeof buf);
  CHECK_EQ(n, strlen(target));
  CHECK(memcmp(buf, target, (size_t)n) == 0);
  /* the target is stored as given, even when it does not exist */
  CHECK_OK(symlink("no/such/path", FS "/subdir/odd"));
  n = readlink(FS "/subdir/odd", buf, sizeof buf);
  CHECK_EQ(n, 12);
  CHECK(memcmp(buf, "no/such/path", 12) == 0);
  CHECK_ERRNO(symlink("anything", FS "/sl"), EEXIST);
  CHECK_ERRNO(symlink("anything", HELLO_PATH), EEXIST);
  return 0;
}
