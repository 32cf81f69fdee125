/* One random_get call filling 100,000 bytes: the whole buffer is written
 * (every byte value shows up, and both halves differ). */
#include <wasi/api.h>

#include "common.h"

#define SIZE 100000

int main(void) {
  static unsigned char buf[SIZE];
  static unsigned counts[256];
  CHECK_EQ(__wasi_random_get(buf, SIZE), 0);
  for (size_t i = 0; i < SIZE; i++)
    counts[buf[i]]++;
  for (int v = 0; v < 256; v++)
    CHECK(counts[v] > 0);
  /* the tail was written too, not only the first 64 KiB */
  static unsigned tail_counts[256];
  for (size_t i = 70000; i < SIZE; i++)
    tail_counts[buf[i]]++;
  for (int v = 0; v < 256; v++)
    CHECK(tail_counts[v] > 0);
  CHECK(memcmp(buf, buf + SIZE / 2, SIZE / 2) != 0);
  return 0;
}
