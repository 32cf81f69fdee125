/* CLOCK_MONOTONIC never goes backwards across many readings. */
#include "common.h"

int main(void) {
  struct timespec prev, cur;
  CHECK_OK(clock_gettime(CLOCK_MONOTONIC, &prev));
  CHECK(prev.tv_nsec >= 0 && prev.tv_nsec < 1000000000);
  for (int i = 0; i < 10000; i++) {
    CHECK_OK(clock_gettime(CLOCK_MONOTONIC, &cur));
    CHECK(cur.tv_nsec >= 0 && cur.tv_nsec < 1000000000);
    CHECK(cur.tv_sec > prev.tv_sec ||
          (cur.tv_sec == prev.tv_sec && cur.tv_nsec >= prev.tv_nsec));
    prev = cur;
  }
  return 0;
}
