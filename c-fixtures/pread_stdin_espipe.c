/* pread on stdin (a stream) fails with ESPIPE. */
#include "common.h"

int main(void) {
  char buf[4];
  CHECK_ERRNO(pread(0, buf, sizeof buf, 0), ESPIPE);
  return 0;
}
