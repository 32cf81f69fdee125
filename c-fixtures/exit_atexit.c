/* Handlers registered with atexit run after main returns, in reverse order
 * of registration. */
#include "common.h"

static void first(void) { printf("first registered, runs last\n"); }
static void second(void) { printf("second registered, runs first\n"); }

int main(void) {
  CHECK_EQ(atexit(first), 0);
  CHECK_EQ(atexit(second), 0);
  printf("main done\n");
  return 0;
}
