// Writes N MiB (argv[1], default 1) of a repeating pattern to stdout in 64 KiB writes, checking
// every write completes. Used to push hundreds of MiB through a runtime's stdout.
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "common.h"

int main(int argc, char **argv) {
  long mib = argc > 1 ? atol(argv[1]) : 1;
  static char chunk[65536];
  for (size_t i = 0; i < sizeof chunk; i++) chunk[i] = 'a' + (char)(i % 26);
  chunk[sizeof chunk - 1] = '\n';
  for (long i = 0; i < mib * 16; i++) {
    size_t done = 0;
    while (done < sizeof chunk) {
      ssize_t n = write(1, chunk + done, sizeof chunk - done);
      CHECK(n > 0);
      done += (size_t)n;
    }
  }
  return 0;
}
