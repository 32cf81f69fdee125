/* Two 32-byte getentropy draws are not all zero and differ from each other. */
#include "common.h"

static int all_zero(const unsigned char *b, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (b[i] != 0)
      return 0;
  return 1;
}

int main(void) {
  unsigned char a[32], b[32];
  CHECK_OK(getentropy(a, sizeof a));
  CHECK_OK(getentropy(b, sizeof b));
  CHECK(!all_zero(a, sizeof a));
  CHECK(!all_zero(b, sizeof b));
  CHECK(memcmp(a, b, sizeof a) != 0);
  return 0;
}
