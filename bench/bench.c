// Workloads for bench/run.mjs. Usage: bench MODE N
//   write N     write N MiB to data.bin in the preopened folder "box", 64 KiB at a time
//   read N      write N MiB to box/data.bin, then read it back 64 KiB at a time
//   append N    append N KiB to box/log.txt, 16 bytes per write (many small writes)
//   seek N      N calls of lseek(fd, 0, SEEK_CUR) on an open file (per-call overhead)
//   stdout N    write N MiB to stdout, 64 KiB at a time
//   openstat N  N times open + fstat + close, over 1,000 files of box/files/
//   probe N     N module-resolver lookups in box/node_modules (200 packages, nested folders,
//               one package.json read and mostly failing stats per lookup)
//   readdir N   list a folder of N files (readdir + one stat per entry)
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

static void make_file(const char *path, const char *text) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text) || close(fd) != 0) {
    perror(path);
    exit(1);
  }
}

static int openstat(long n) {
  char path[64];
  if (mkdir("box/files", 0755) != 0) return perror("mkdir"), 1;
  for (int i = 0; i < 1000; i++) {
    snprintf(path, sizeof path, "box/files/f%d", i);
    make_file(path, "x");
  }
  struct stat st;
  for (long i = 0; i < n; i++) {
    snprintf(path, sizeof path, "box/files/f%ld", i % 1000);
    int fd = open(path, O_RDONLY);
    if (fd < 0 || fstat(fd, &st) != 0 || st.st_size != 1 || close(fd) != 0) return perror(path), 1;
  }
  return 0;
}

static int probe(long n) {
  char path[160];
  static const char *missing[] = {"x.js", "x.ts", "x.mjs", "x/index.js", "x/index.ts"};
  if (mkdir("box/node_modules", 0755) != 0) return perror("mkdir"), 1;
  for (int i = 0; i < 200; i++) {
    snprintf(path, sizeof path, "box/node_modules/p%d", i);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "box/node_modules/p%d/lib", i);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "box/node_modules/p%d/lib/util", i);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "box/node_modules/p%d/package.json", i);
    make_file(path, "{\"name\":\"p\",\"main\":\"lib/util/index.js\"}");
    snprintf(path, sizeof path, "box/node_modules/p%d/lib/util/index.js", i);
    make_file(path, "module.exports = 1;");
  }
  struct stat st;
  char buf[256];
  for (long i = 0; i < n; i++) {
    int p = (int)(i % 200);
    snprintf(path, sizeof path, "box/node_modules/p%d/package.json", p);
    int fd = open(path, O_RDONLY);
    if (fd < 0 || read(fd, buf, sizeof buf) <= 0 || close(fd) != 0) return perror(path), 1;
    for (int m = 0; m < 5; m++) {
      snprintf(path, sizeof path, "box/node_modules/p%d/lib/util/%s", p, missing[m]);
      if (stat(path, &st) == 0) return fprintf(stderr, "%s exists\n", path), 1;
    }
    snprintf(path, sizeof path, "box/node_modules/p%d/lib/util/index.js", p);
    if (stat(path, &st) != 0) return perror(path), 1;
  }
  return 0;
}

static int list(long n) {
  char path[64];
  if (mkdir("box/list", 0755) != 0) return perror("mkdir"), 1;
  for (long i = 0; i < n; i++) {
    snprintf(path, sizeof path, "box/list/entry-%ld", i);
    make_file(path, "");
  }
  DIR *d = opendir("box/list");
  if (!d) return perror("opendir"), 1;
  long seen = 0;
  struct dirent *e;
  struct stat st;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;
    if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) return perror(e->d_name), 1;
    seen++;
  }
  closedir(d);
  if (seen != n) return fprintf(stderr, "listed %ld of %ld\n", seen, n), 1;
  return 0;
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
  if (strcmp(mode, "openstat") == 0) return openstat(n);
  if (strcmp(mode, "probe") == 0) return probe(n);
  if (strcmp(mode, "readdir") == 0) return list(n);
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
