/* rename of a file onto itself (or onto a hard link of itself) succeeds and
 * changes nothing. */
#include "common.h"

int main(void) {
  CHECK_OK(rename(HELLO_PATH, HELLO_PATH));
  check_file(HELLO_PATH, HELLO_TEXT);
  CHECK_OK(link(HELLO_PATH, FS "/alias.txt"));
  CHECK_OK(rename(HELLO_PATH, FS "/alias.txt"));
  check_file(HELLO_PATH, HELLO_TEXT);
  check_file(FS "/alias.txt", HELLO_TEXT);
  return 0;
}
