/* With O_APPEND every write goes to the end of the file, even after an
 * lseek to the start; the offset is at the end afterwards. */
#include "common.h"

int main(void) {
  int fd = open(HELLO_PATH, O_WRONLY | O_APPEND);
  CHECK(fd >= 0);
  CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
  CHECK_EQ(write(fd, "XY", 2), 2);
  CHECK_EQ(lseek(fd, 0, SEEK_CUR), strlen(HELLO_TEXT) + 2);
  CHECK_EQ(lseek(fd, 3, SEEK_SET), 3);
  CHECK_EQ(write(fd, "Z", 1), 1);
  CHECK_OK(close(fd));
  check_file(HELLO_PATH, HELLO_TEXT "XYZ");
  return 0;
}
