/* poll with no descriptors and a 50 ms timeout returns 0 after at least
 * 50 ms. */
#include <poll.h>

#include "common.h"

int main(void) {
  int64_t start = now_ns(CLOCK_MONOTONIC);
  CHECK_EQ(poll(NULL, 0, 50), 0);
  int64_t elapsed = now_ns(CLOCK_MONOTONIC) - start;
  CHECK(elapsed >= 50000000);
  CHECK(elapsed < 10000000000LL);
  return 0;
}
