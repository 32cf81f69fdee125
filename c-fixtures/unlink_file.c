/* unlink removes a file: later opens fail with ENOENT, a second unlink too. */
#include "common.h"

int main(void) {
  CHECK_OK(unlink(HELLO_PATH));
  CHECK_ERRNO(open(HELLO_PATH, O_RDONLY), ENOENT);
  CHECK_ERRNO(unlink(HELLO_PATH), ENOENT);
  return 0;
}
