/* pwrite on stdout (a stream) fails with ESPIPE and writes nothing. */
#include "common.h"

int main(void) {
  CHECK_ERRNO(pwrite(1, "x", 1, 0), ESPIPE);
  return 0;
}
