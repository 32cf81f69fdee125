/* writev gathers several buffers (including an empty one) into one write;
 * readv scatters the data back over several buffers in order. */
#include <sys/uio.h>

#include "common.h"

int main(void) {
  int fd = open(FS "/vec.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
  CHECK(fd >= 0);
  struct iovec out[4] = {
      {.iov_base = "abc", .iov_len = 3},
      {.iov_base = "", .iov_len = 0},
      {.iov_base = "defgh", .iov_len = 5},
      {.iov_base = "ij", .iov_len = 2},
  };
  CHECK_EQ(writev(fd, out, 4), 10);
  CHECK_EQ(lseek(fd, 0, SEEK_CUR), 10);

  CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
  char a[2], b[4], c[8];
  memset(c, '#', sizeof c);
  struct iovec in[3] = {
      {.iov_base = a, .iov_len = sizeof a},
      {.iov_base = b, .iov_len = sizeof b},
      {.iov_base = c, .iov_len = sizeof c},
  };
  CHECK_EQ(readv(fd, in, 3), 10);
  CHECK(memcmp(a, "ab", 2) == 0);
  CHECK(memcmp(b, "cdef", 4) == 0);
  CHECK(memcmp(c, "ghij####", 8) == 0);
  CHECK_OK(close(fd));
  check_file(FS "/vec.txt", "abcdefghij");
  return 0;
}
