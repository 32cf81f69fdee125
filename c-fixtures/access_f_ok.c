/* access and faccessat with F_OK report whether a name exists. */
#include "common.h"

int main(void) {
  CHECK_EQ(access(HELLO_PATH, F_OK), 0);
  CHECK_EQ(access(FS "/subdir", F_OK), 0);
  CHECK_ERRNO(access(FS "/missing", F_OK), ENOENT);
  CHECK_EQ(faccessat(AT_FDCWD, NESTED_PATH, F_OK, 0), 0);
  CHECK_ERRNO(faccessat(AT_FDCWD, FS "/subdir/missing", F_OK, 0), ENOENT);
  int dir = open(FS "/subdir", O_RDONLY | O_DIRECTORY);
  CHECK(dir >= 0);
  CHECK_EQ(faccessat(dir, "nested.txt", F_OK, 0), 0);
  CHECK_ERRNO(faccessat(dir, "missing", F_OK, 0), ENOENT);
  CHECK_OK(close(dir));
  return 0;
}
