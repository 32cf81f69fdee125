/* CLOCK_REALTIME gives a plausible wall-clock time (after 2020, before
 * 2100) with a normalized tv_nsec. */
#include "common.h"

int main(void) {
  struct timespec ts;
  CHECK_OK(clock_gettime(CLOCK_REALTIME, &ts));
  CHECK(ts.tv_sec > 1577836800);  /* 2020-01-01 */
  CHECK(ts.tv_sec < 4102444800LL); /* 2100-01-01 */
  CHECK(ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000);
  return 0;
}
