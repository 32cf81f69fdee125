/* abort() traps (exit code 134); output flushed before it is kept. */
#include "common.h"

int main(void) {
  printf("before abort\n");
  fflush(stdout);
  abort();
}
