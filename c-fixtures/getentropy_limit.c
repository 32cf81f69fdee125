/* getentropy accepts up to 256 bytes and fails with EIO above that. */
#include "common.h"

int main(void) {
  unsigned char buf[257];
  CHECK_OK(getentropy(buf, 256));
  CHECK_OK(getentropy(buf, 0));
  CHECK_ERRNO(getentropy(buf, 257), EIO);
  return 0;
}
