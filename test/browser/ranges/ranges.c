/* Reads a few scattered ranges of the file named by argv[1] (a read-only
 * array in the tests: a URL fetched by range, or a File) and prints its size
 * and an FNV-1a checksum of the bytes read, in order. Some ranges cross block
 * boundaries, two are adjacent, one is read twice and one runs past the end. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct { long long off; int len; } RANGES[] = {
    {0, 100},
    {65536 - 10, 20},           /* across the first block boundary */
    {3 * 65536 + 5, 3 * 65536}, /* three blocks and a bit, one request */
    {1000000, 4096},
    {1000000 + 4096, 4096},     /* adjacent to the last one */
    {1000000, 4096},            /* again: from the cache */
    {33554432 - 1, 2},
    {50000000, 70000},
    {67108864 - 3, 100},        /* past the end: 3 bytes */
};

static uint8_t buf[4 * 65536];

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: ranges FILE\n");
    return 2;
  }
  int fd = open(argv[1], O_RDONLY);
  if (fd < 0) {
    perror(argv[1]);
    return 1;
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    perror("fstat");
    return 1;
  }
  uint32_t h = 2166136261u;
  long long total = 0;
  for (size_t i = 0; i < sizeof RANGES / sizeof RANGES[0]; i++) {
    ssize_t n = pread(fd, buf, (size_t)RANGES[i].len, RANGES[i].off);
    if (n < 0) {
      perror("pread");
      return 1;
    }
    for (ssize_t j = 0; j < n; j++) h = (h ^ buf[j]) * 16777619u;
    total += n;
  }
  if (write(fd, "x", 1) != -1) {
    fprintf(stderr, "write to a read-only file succeeded\n");
    return 1;
  }
  close(fd);
  printf("size=%lld read=%lld fnv=%08x\n", (long long)st.st_size, total, h);
  return 0;
}
