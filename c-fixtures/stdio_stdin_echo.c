/* Reads stdin until EOF with read(2) and copies it byte for byte to stdout. */
#include "common.h"

int main(void) {
  char buf[7]; /* small on purpose: forces several reads */
  for (;;) {
    ssize_t n = read(0, buf, sizeof buf);
    CHECK(n >= 0);
    if (n == 0)
      break;
    ssize_t off = 0;
    while (off < n) {
      ssize_t w = write(1, buf + off, (size_t)(n - off));
      CHECK(w > 0);
      off += w;
    }
  }
  return 0;
}
