/* A relative symlink target is resolved from the directory holding the
 * link (not from the preopen or the current directory), also through
 * chains of links and links to directories. */
#include "common.h"

int main(void) {
  CHECK_OK(symlink("hello.txt", FS "/to-hello"));
  check_file(FS "/to-hello", HELLO_TEXT);
  CHECK_OK(symlink("nested.txt", FS "/subdir/to-nested"));
  check_file(FS "/subdir/to-nested", NESTED_TEXT);
  CHECK_OK(symlink("../hello.txt", FS "/subdir/up-to-hello"));
  check_file(FS "/subdir/up-to-hello", HELLO_TEXT);
  /* a chain: link -> link -> file */
  CHECK_OK(symlink("subdir/up-to-hello", FS "/chain"));
  check_file(FS "/chain", HELLO_TEXT);
  /* a link to a directory used as a path component */
  CHECK_OK(symlink("subdir", FS "/dirlink"));
  check_file(FS "/dirlink/nested.txt", NESTED_TEXT);
  /* writing through a link changes the target */
  put_file(FS "/to-hello", "via link");
  check_file(HELLO_PATH, "via link");
  return 0;
}
