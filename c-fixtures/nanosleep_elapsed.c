/* nanosleep returns 0 after at least the requested time on CLOCK_MONOTONIC. */
#include "common.h"

int main(void) {
  struct timespec req = {.tv_sec = 0, .tv_nsec = 30000000}; /* 30 ms */
  int64_t start = now_ns(CLOCK_MONOTONIC);
  CHECK_EQ(nanosleep(&req, NULL), 0);
  int64_t elapsed = now_ns(CLOCK_MONOTONIC) - start;
  CHECK(elapsed >= 30000000);
  CHECK(elapsed < 10000000000LL);
  /* invalid tv_nsec is rejected */
  struct timespec bad = {.tv_sec = 0, .tv_nsec = 1000000000};
  CHECK_ERRNO(nanosleep(&bad, NULL), EINVAL);
  return 0;
}
