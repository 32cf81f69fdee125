/* ".." that stays inside the preopen is resolved normally. */
#include "common.h"

int main(void) {
  check_file(FS "/subdir/../hello.txt", HELLO_TEXT);
  check_file(FS "/subdir/./../subdir/nested.txt", NESTED_TEXT);
  return 0;
}
