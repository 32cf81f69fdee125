/* unlinkat removes a file with flags 0 and a directory with AT_REMOVEDIR;
 * AT_REMOVEDIR on a file fails with ENOTDIR. */
#include "common.h"

int main(void) {
  int dir = open(FS, O_RDONLY | O_DIRECTORY);
  CHECK(dir >= 0);
  CHECK_OK(mkdirat(dir, "gone", 0755));
  CHECK_ERRNO(unlinkat(dir, "hello.txt", AT_REMOVEDIR), ENOTDIR);
  CHECK_OK(unlinkat(dir, "gone", AT_REMOVEDIR));
  CHECK_OK(unlinkat(dir, "hello.txt", 0));
  struct stat st;
  CHECK_ERRNO(fstatat(dir, "gone", &st, 0), ENOENT);
  CHECK_ERRNO(fstatat(dir, "hello.txt", &st, 0), ENOENT);
  CHECK_OK(close(dir));
  return 0;
}
