/* A symlink to a missing target can be created; lstat sees it, while stat
 * and open through it fail with ENOENT. */
#include "common.h"

int main(void) {
  CHECK_OK(symlink("does-not-exist.txt", FS "/dangling"));
  struct stat st;
  CHECK_OK(lstat(FS "/dangling", &st));
  CHECK(S_ISLNK(st.st_mode));
  CHECK_ERRNO(stat(FS "/dangling", &st), ENOENT);
  CHECK_ERRNO(open(FS "/dangling", O_RDONLY), ENOENT);
  char buf[64];
  CHECK_EQ(readlink(FS "/dangling", buf, sizeof buf), 18);
  CHECK_OK(unlink(FS "/dangling"));
  CHECK_ERRNO(lstat(FS "/dangling", &st), ENOENT);
  return 0;
}
