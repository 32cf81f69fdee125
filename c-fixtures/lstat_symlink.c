/* lstat describes the symlink itself (S_ISLNK, size = target length) while
 * stat describes its target. */
#include "common.h"

int main(void) {
  CHECK_OK(symlink("hello.txt", FS "/link"));
  struct stat lst, st, target;
  CHECK_OK(lstat(FS "/link", &lst));
  CHECK(S_ISLNK(lst.st_mode));
  CHECK_EQ(lst.st_size, strlen("hello.txt"));
  CHECK_OK(stat(FS "/link", &st));
  CHECK(S_ISREG(st.st_mode));
  CHECK_EQ(st.st_size, 16);
  CHECK_OK(stat(HELLO_PATH, &target));
  CHECK_EQ(st.st_ino, target.st_ino);
  CHECK(lst.st_ino != target.st_ino);
  /* lstat of a non-link is the same as stat */
  CHECK_OK(lstat(HELLO_PATH, &lst));
  CHECK(S_ISREG(lst.st_mode));
  CHECK_EQ(lst.st_ino, target.st_ino);
  return 0;
}
