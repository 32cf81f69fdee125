/* stdout is a stream: lseek on it fails with ESPIPE. */
#include "common.h"

int main(void) {
  CHECK_ERRNO(lseek(1, 0, SEEK_CUR), ESPIPE);
  CHECK_ERRNO(lseek(1, 0, SEEK_SET), ESPIPE);
  CHECK_ERRNO(lseek(2, 0, SEEK_CUR), ESPIPE);
  return 0;
}
