/* rename moves a directory together with its contents. */
#include "common.h"

int main(void) {
  CHECK_OK(rename(FS "/subdir", FS "/moved"));
  struct stat st;
  CHECK_ERRNO(stat(FS "/subdir", &st), ENOENT);
  CHECK_OK(stat(FS "/moved", &st));
  CHECK(S_ISDIR(st.st_mode));
  check_file(FS "/moved/nested.txt", NESTED_TEXT);
  return 0;
}
