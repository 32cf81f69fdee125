// Workloads for bench/run.mjs. Usage: bench MODE N
//   write N     write N MiB to data.bin in the preopened folder "box", 64 KiB at a time
//   read N      write N MiB to box/data.bin, then read it back 64 KiB at a time
//   append N    append N KiB to box/log.txt, 16 bytes per write (many small writes)
//   seek N      N calls of lseek(fd, 0, SEEK_CUR) on an open file (per-call overhead)
//   stdout N    write N MiB to stdout, 64 KiB at a time
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char chunk[65536];

static void fill(int fd, long mib) {
  for (long i = 0; i < mib * 16; i++) {
    if (write(fd, chunk, sizeof chunk) != (ssize_t)sizeof chunk) {
      perror("write");
      exit(1);
    }
  }
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: bench MODE N\n");
    return 2;
  }
  const char *mode = argv[1];
  long n = atol(argv[2]);
  memset(chunk, 'x', sizeof chunk);
  if (strcmp(mode, "stdout") == 0) {
    fill(1, n);
    return 0;
  }
  int fd = open("box/data.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) {
    perror("open");
    return 1;
  }
  if (strcmp(mode, "write") == 0) {
    fill(fd, n);
  } else if (strcmp(mode, "read") == 0) {
    fill(fd, n);
    lseek(fd, 0, SEEK_SET);
    long total = 0;
    ssize_t got;
    while ((got = read(fd, chunk, sizeof chunk)) > 0) total += got;
    if (total != n * 1024 * 1024) {
      fprintf(stderr, "read %ld bytes\n", total);
      return 1;
    }
  } else if (strcmp(mode, "append") == 0) {
    int log = open("box/log.txt", O_WRONLY | O_CREAT | O_APPEND, 0644);
    for (long i = 0; i < n * 64; i++) {
      if (write(log, "0123456789abcde\n", 16) != 16) {
        perror("append");
        return 1;
      }
    }
    close(log);
  } else if (strcmp(mode, "seek") == 0) {
    for (long i = 0; i < n; i++) {
      if (lseek(fd, 0, SEEK_CUR) != 0) return 1;
    }
  } else {
    fprintf(stderr, "unknown mode %s\n", mode);
    return 2;
  }
  close(fd);
  return 0;
}
