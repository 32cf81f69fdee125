/* A trailing slash after a regular file's name fails with ENOTDIR; after a
 * directory's name it is accepted. */
#include "common.h"

int main(void) {
  struct stat st;
  CHECK_ERRNO(stat(HELLO_PATH "/", &st), ENOTDIR);
  CHECK_ERRNO(open(HELLO_PATH "/", O_RDONLY), ENOTDIR);
  CHECK_OK(stat(FS "/subdir/", &st));
  CHECK(S_ISDIR(st.st_mode));
  return 0;
}
