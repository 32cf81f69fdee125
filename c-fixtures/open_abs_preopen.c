/* An absolute path whose first component names a preopen ("/fs.dir/...")
 * resolves inside that preopen. */
#include "common.h"

int main(void) {
  check_file("/" HELLO_PATH, HELLO_TEXT);
  check_file("/" NESTED_PATH, NESTED_TEXT);
  return 0;
}
