/* stdout is not a terminal (the host gives a pipe): isatty returns 0 and
 * sets errno to ENOTTY. */
#include "common.h"

int main(void) {
  errno = 0;
  CHECK_EQ(isatty(1), 0);
  CHECK_EQ(errno, ENOTTY);
  return 0;
}
