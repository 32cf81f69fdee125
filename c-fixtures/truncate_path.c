/* truncate() by path shrinks and grows a file. */
#include "common.h"

int main(void) {
  CHECK_OK(truncate(HELLO_PATH, 4));
  check_file(HELLO_PATH, "Hell");
  CHECK_OK(truncate(HELLO_PATH, 6));
  CHECK_EQ(file_size(HELLO_PATH), 6);
  CHECK_ERRNO(truncate(FS "/missing.txt", 1), ENOENT);
  return 0;
}
