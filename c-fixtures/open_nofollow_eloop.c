/* O_NOFOLLOW on a symlink fails with ELOOP; without it the link is
 * followed. */
#include "common.h"

int main(void) {
  CHECK_OK(symlink("hello.txt", FS "/link"));
  CHECK_ERRNO(open(FS "/link", O_RDONLY | O_NOFOLLOW), ELOOP);
  check_file(FS "/link", HELLO_TEXT);
  /* O_NOFOLLOW only concerns the last component. */
  int fd = open(HELLO_PATH, O_RDONLY | O_NOFOLLOW);
  CHECK(fd >= 0);
  CHECK_OK(close(fd));
  return 0;
}
