/* link creates a second name for the same inode: st_nlink is 2, writes are
 * visible through both names, and unlinking one leaves the other. */
#include "common.h"

int main(void) {
  const char *alias = FS "/hard.txt";
  CHECK_OK(link(HELLO_PATH, alias));
  struct stat a, b;
  CHECK_OK(stat(HELLO_PATH, &a));
  CHECK_OK(stat(alias, &b));
  CHECK_EQ(a.st_ino, b.st_ino);
  CHECK_EQ(a.st_dev, b.st_dev);
  CHECK_EQ(a.st_nlink, 2);
  CHECK_EQ(b.st_nlink, 2);

  int fd = open(alias, O_WRONLY | O_APPEND);
  CHECK(fd >= 0);
  CHECK_EQ(write(fd, "+", 1), 1);
  CHECK_OK(close(fd));
  check_file(HELLO_PATH, HELLO_TEXT "+");

  CHECK_ERRNO(link(HELLO_PATH, alias), EEXIST);
  CHECK_OK(unlink(HELLO_PATH));
  CHECK_OK(stat(alias, &b));
  CHECK_EQ(b.st_nlink, 1);
  check_file(alias, HELLO_TEXT "+");
  return 0;
}
