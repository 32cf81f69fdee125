/* printf to stdout: the exact text reaches the host's stdout. */
#include "common.h"

int main(void) {
  printf("Hello, world!\n");
  return 0;
}
