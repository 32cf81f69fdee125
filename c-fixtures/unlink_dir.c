/* unlink on a directory fails (EISDIR as on Linux, or EPERM as POSIX says)
 * and the directory stays. */
#include "common.h"

int main(void) {
  CHECK_OK(mkdir(FS "/emptydir", 0755));
  CHECK_ERRNO2(unlink(FS "/emptydir"), EISDIR, EPERM);
  CHECK_ERRNO2(unlink(FS "/subdir"), EISDIR, EPERM);
  struct stat st;
  CHECK_OK(stat(FS "/emptydir", &st));
  CHECK(S_ISDIR(st.st_mode));
  return 0;
}
