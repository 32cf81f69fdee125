/* clock_getres gives a positive resolution of at most one second for
 * CLOCK_REALTIME and CLOCK_MONOTONIC. */
#include "common.h"

static void check_res(clockid_t clk) {
  struct timespec res;
  CHECK_OK(clock_getres(clk, &res));
  CHECK(res.tv_sec >= 0 && res.tv_nsec >= 0 && res.tv_nsec < 1000000000);
  CHECK(res.tv_sec > 0 || res.tv_nsec > 0);
  CHECK(res.tv_sec == 0 || (res.tv_sec == 1 && res.tv_nsec == 0));
}

int main(void) {
  check_res(CLOCK_REALTIME);
  check_res(CLOCK_MONOTONIC);
  return 0;
}
