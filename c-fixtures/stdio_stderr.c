/* stderr and stdout are separate streams: each text reaches its own one. */
#include "common.h"

int main(void) {
  fprintf(stderr, "this goes to stderr\n");
  printf("this goes to stdout\n");
  return 0;
}
