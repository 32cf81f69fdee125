/* stat tells regular files from directories and reports file sizes. */
#include "common.h"

int main(void) {
  struct stat st;
  CHECK_OK(stat(HELLO_PATH, &st));
  CHECK(S_ISREG(st.st_mode));
  CHECK(!S_ISDIR(st.st_mode));
  CHECK_EQ(st.st_size, 16);
  CHECK_OK(stat(NESTED_PATH, &st));
  CHECK(S_ISREG(st.st_mode));
  CHECK_EQ(st.st_size, 12);
  CHECK_OK(stat(FS "/subdir", &st));
  CHECK(S_ISDIR(st.st_mode));
  CHECK(!S_ISREG(st.st_mode));
  CHECK_OK(stat(FS, &st));
  CHECK(S_ISDIR(st.st_mode));
  CHECK_ERRNO(stat(FS "/missing", &st), ENOENT);
  return 0;
}
