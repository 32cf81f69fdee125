/* Output left in stdio's buffer (no newline, no fflush) is flushed by exit()
 * before the process ends. */
#include "common.h"

int main(void) {
  printf("buffered text without newline");
  exit(0);
}
