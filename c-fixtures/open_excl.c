/* O_CREAT|O_EXCL fails with EEXIST when the file exists, and creates it
 * otherwise. */
#include "common.h"

int main(void) {
  CHECK_ERRNO(open(HELLO_PATH, O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST);
  const char *path = FS "/exclusive.txt";
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
  CHECK(fd >= 0);
  CHECK_OK(close(fd));
  CHECK_ERRNO(open(path, O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST);
  /* An existing directory counts as well. */
  CHECK_ERRNO(open(FS "/subdir", O_RDONLY | O_CREAT | O_EXCL, 0644), EEXIST);
  check_file(HELLO_PATH, HELLO_TEXT);
  return 0;
}
