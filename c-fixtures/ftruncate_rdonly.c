/* ftruncate on a descriptor not open for writing fails and leaves the file
 * alone. POSIX allows EBADF or EINVAL; wasi-libc passes ENOTCAPABLE through
 * from hosts that enforce WASI rights, so that is accepted too. */
#include "common.h"

int main(void) {
  int fd = open(HELLO_PATH, O_RDONLY);
  CHECK(fd >= 0);
  errno = 0;
  CHECK_EQ(ftruncate(fd, 2), -1);
  CHECK(errno == EBADF || errno == EINVAL || errno == ENOTCAPABLE);
  CHECK_OK(close(fd));
  CHECK_EQ(file_size(HELLO_PATH), 16);
  return 0;
}
