/* Empty arguments and arguments containing spaces are passed unchanged. */
#include "common.h"

int main(int argc, char **argv) {
  CHECK_EQ(argc, 5);
  CHECK(strcmp(argv[1], "") == 0);
  CHECK(strcmp(argv[2], "two words") == 0);
  CHECK(strcmp(argv[3], "  leading and trailing  ") == 0);
  CHECK(strcmp(argv[4], "--flag=a=b") == 0);
  CHECK(argv[5] == NULL);
  return 0;
}
