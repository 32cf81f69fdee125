/* sched_yield returns 0. */
#include <sched.h>

#include "common.h"

int main(void) {
  for (int i = 0; i < 3; i++)
    CHECK_EQ(sched_yield(), 0);
  return 0;
}
