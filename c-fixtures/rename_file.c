/* rename moves a file to a new name: the old name is gone, the content and
 * inode are kept. */
#include "common.h"

int main(void) {
  struct stat before, after;
  CHECK_OK(stat(HELLO_PATH, &before));
  CHECK_OK(rename(HELLO_PATH, FS "/renamed.txt"));
  CHECK_ERRNO(stat(HELLO_PATH, &after), ENOENT);
  CHECK_OK(stat(FS "/renamed.txt", &after));
  CHECK_EQ(after.st_ino, before.st_ino);
  check_file(FS "/renamed.txt", HELLO_TEXT);
  /* into another directory */
  CHECK_OK(rename(FS "/renamed.txt", FS "/subdir/moved.txt"));
  check_file(FS "/subdir/moved.txt", HELLO_TEXT);
  CHECK_ERRNO(rename(FS "/missing.txt", FS "/x.txt"), ENOENT);
  return 0;
}
