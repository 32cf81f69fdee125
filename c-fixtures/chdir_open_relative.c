/* After chdir into a directory of a preopen, relative paths (including "..")
 * resolve from there. */
#include "common.h"

int main(void) {
  CHECK_OK(chdir(FS "/subdir"));
  check_file("nested.txt", NESTED_TEXT);
  check_file("./nested.txt", NESTED_TEXT);
  check_file("../hello.txt", HELLO_TEXT);
  put_file("created-here.txt", "here");
  CHECK_OK(chdir(".."));
  check_file("subdir/created-here.txt", "here");
  check_file("hello.txt", HELLO_TEXT);
  return 0;
}
