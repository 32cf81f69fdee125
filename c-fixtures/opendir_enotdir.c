/* opendir on a regular file fails with ENOTDIR (and ENOENT when missing). */
#include <dirent.h>

#include "common.h"

int main(void) {
  errno = 0;
  CHECK(opendir(HELLO_PATH) == NULL);
  CHECK_EQ(errno, ENOTDIR);
  errno = 0;
  CHECK(opendir(FS "/missing") == NULL);
  CHECK_EQ(errno, ENOENT);
  return 0;
}
