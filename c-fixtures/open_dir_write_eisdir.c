/* Opening a directory for writing fails with EISDIR. */
#include "common.h"

int main(void) {
  CHECK_ERRNO(open(FS "/subdir", O_WRONLY), EISDIR);
  CHECK_ERRNO(open(FS "/subdir", O_RDWR), EISDIR);
  return 0;
}
