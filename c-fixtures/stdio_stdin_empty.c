/* With empty stdin, read(2) returns 0 (EOF) at once and getchar gives EOF. */
#include "common.h"

int main(void) {
  char buf[16];
  CHECK_EQ(read(0, buf, sizeof buf), 0);
  CHECK_EQ(read(0, buf, sizeof buf), 0);
  CHECK(getchar() == EOF);
  CHECK(feof(stdin));
  return 0;
}
