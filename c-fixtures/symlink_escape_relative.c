/* A symlink whose target climbs out of the preopen with ".." must not give
 * access outside it: either creating it or opening through it is refused
 * with ENOTCAPABLE or EPERM. */
#include "common.h"

int main(void) {
  errno = 0;
  if (symlink("../..", FS "/up") == -1) {
    CHECK(errno == ENOTCAPABLE || errno == EPERM);
    return 0;
  }
  CHECK_ERRNO2(open(FS "/up", O_RDONLY | O_DIRECTORY), ENOTCAPABLE, EPERM);
  CHECK_ERRNO2(open(FS "/up/etc/passwd", O_RDONLY), ENOTCAPABLE, EPERM);
  /* The same for a link in a subdirectory pointing one level too high. */
  CHECK_OK(symlink("../../hello.txt", FS "/subdir/up2"));
  CHECK_ERRNO2(open(FS "/subdir/up2", O_RDONLY), ENOTCAPABLE, EPERM);
  /* The link itself is still an ordinary symlink. */
  struct stat st;
  CHECK_OK(lstat(FS "/up", &st));
  CHECK(S_ISLNK(st.st_mode));
  return 0;
}
