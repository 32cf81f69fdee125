/* exit(3) ends the program with exit code 3. */
#include "common.h"

int main(void) {
  exit(3);
}
