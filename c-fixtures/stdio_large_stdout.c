/* One large write(2) to stdout (94,000 bytes, more than a pipe buffer):
 * short writes are retried, and every byte must arrive in order. */
#include "common.h"

#define LINES 2000

int main(void) {
  static char buf[LINES * 47 + 1];
  size_t len = 0;
  for (int i = 0; i < LINES; i++)
    len += (size_t)sprintf(buf + len,
                           "line %04d abcdefghijklmnopqrstuvwxyz0123456789\n", i);
  CHECK_EQ(len, LINES * 47);
  size_t off = 0;
  while (off < len) {
    ssize_t w = write(1, buf + off, len - off);
    CHECK(w > 0);
    off += (size_t)w;
  }
  return 0;
}
