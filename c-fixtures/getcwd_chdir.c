/* getcwd starts at "/" and follows chdir (absolute and relative); a small
 * buffer gives ERANGE; chdir to a file gives ENOTDIR. */
#include "common.h"

int main(void) {
  char buf[256];
  CHECK(getcwd(buf, sizeof buf) != NULL);
  CHECK(strcmp(buf, "/") == 0);
  CHECK_OK(chdir(FS));
  CHECK(getcwd(buf, sizeof buf) != NULL);
  CHECK(strcmp(buf, "/" FS) == 0);
  CHECK_OK(chdir("subdir"));
  CHECK(getcwd(buf, sizeof buf) != NULL);
  CHECK(strcmp(buf, "/" FS "/subdir") == 0);
  errno = 0;
  CHECK(getcwd(buf, 4) == NULL);
  CHECK_EQ(errno, ERANGE);
  CHECK_OK(chdir("/" FS));
  CHECK(getcwd(buf, sizeof buf) != NULL);
  CHECK(strcmp(buf, "/" FS) == 0);
  CHECK_ERRNO(chdir("hello.txt"), ENOTDIR);
  CHECK_ERRNO(chdir("missing"), ENOENT);
  CHECK(getcwd(buf, sizeof buf) != NULL);
  CHECK(strcmp(buf, "/" FS) == 0);
  return 0;
}
