/* time() and gettimeofday() agree with CLOCK_REALTIME. */
#include <sys/time.h>

#include "common.h"

int main(void) {
  struct timespec ts;
  CHECK_OK(clock_gettime(CLOCK_REALTIME, &ts));
  time_t t = time(NULL);
  struct timeval tv;
  CHECK_OK(gettimeofday(&tv, NULL));
  CHECK(t >= ts.tv_sec && t <= ts.tv_sec + 2);
  CHECK(tv.tv_sec >= ts.tv_sec && tv.tv_sec <= ts.tv_sec + 2);
  CHECK(tv.tv_usec >= 0 && tv.tv_usec < 1000000);
  return 0;
}
