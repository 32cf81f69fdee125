// Workloads for bench/run.mjs. Usage: bench MODE N [MIB]
// Every mode prepares what it needs (untimed), then times its loop with CLOCK_MONOTONIC and
// prints one line on stderr: "BENCH <elapsed ns> <operations>". Files live in the preopened
// folder "box".
//   write1 N    N 1-byte writes to box/w1.bin
//   stdout1 N   N 1-byte writes to stdout
//   write N     N MiB written sequentially to box/data.bin, 64 KiB per write
//   read N      N MiB read sequentially from box/data.bin, 64 KiB per read (written first)
//   pread N [M] N random 4 KiB preads in a file of M MiB (default 64)
//   pwrite N [M] N random 4 KiB pwrites in a file of M MiB (default 64)
//   seek N      N calls of lseek(fd, 0, SEEK_CUR)
//   fstat N     N calls of fstat on an open file (box/data.bin, empty)
//   openstat N  N times open + fstat + close, over 1,000 files of box/files/
//   readdir N   list a folder of N files (readdir only), per entry
//   clock N     N calls of clock_gettime(CLOCK_MONOTONIC)
//   append N    N 16-byte writes to box/log.txt opened with O_APPEND
//   stdout N    N 64 KiB writes to stdout
//   probe N     N module-resolver lookups in a node_modules tree laid out as pnpm does (see probe)
//   probe-flat N  the same lookups in a tree without symlinks
//   txn N [M]   N transactions as SQLite makes them in its default rollback-journal mode, on a
//               database of M MiB (default 16) of 4 KiB pages (see txn)
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char chunk[65536];
static struct timespec started;

static void die(const char *what) {
  perror(what);
  exit(1);
}

static void start(void) { clock_gettime(CLOCK_MONOTONIC, &started); }

static int stop(long ops) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  long long ns = (long long)(now.tv_sec - started.tv_sec) * 1000000000LL + (now.tv_nsec - started.tv_nsec);
  fprintf(stderr, "BENCH %lld %ld\n", ns, ops);
  return 0;
}

static void write_all(int fd, const void *p, size_t n) {
  if (write(fd, p, n) != (ssize_t)n) die("write");
}

static void make_file(const char *path, const char *text) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) die(path);
  write_all(fd, text, strlen(text));
  if (close(fd) != 0) die(path);
}

static void make_dir(const char *path) {
  if (mkdir(path, 0755) != 0) die(path);
}

static int open_data(long mib) {
  int fd = open("box/data.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) die("box/data.bin");
  for (long i = 0; i < mib * 16; i++) write_all(fd, chunk, sizeof chunk);
  return fd;
}

static uint32_t rng = 12345;
static uint32_t next_block(long mib) {
  rng = rng * 1664525u + 1013904223u;
  return (rng >> 8) % (uint32_t)(mib * 256);  // one of the file's 4 KiB blocks
}

static int random_io(long n, long mib, int writing) {
  int fd = open_data(mib);
  char *block = chunk;
  start();
  for (long i = 0; i < n; i++) {
    off_t at = (off_t)next_block(mib) * 4096;
    ssize_t got = writing ? pwrite(fd, block, 4096, at) : pread(fd, block, 4096, at);
    if (got != 4096) die(writing ? "pwrite" : "pread");
  }
  stop(n);
  return close(fd);
}

static int openstat(long n) {
  char path[64];
  make_dir("box/files");
  for (int i = 0; i < 1000; i++) {
    snprintf(path, sizeof path, "box/files/f%d", i);
    make_file(path, "x");
  }
  struct stat st;
  start();
  for (long i = 0; i < n; i++) {
    snprintf(path, sizeof path, "box/files/f%ld", i % 1000);
    int fd = open(path, O_RDONLY);
    if (fd < 0 || fstat(fd, &st) != 0 || st.st_size != 1 || close(fd) != 0) die(path);
  }
  return stop(n);
}

// The module-resolver workload. With links (mode "probe"), node_modules is laid out as pnpm
// does: every package's files live once in node_modules/.pnpm/NAME@1.0.0/node_modules/NAME/,
// the top level holds relative symlinks to them (".pnpm/NAME@1.0.0/node_modules/NAME"), and each
// package sees its dependencies as relative symlinks beside it ("../../Q@1.0.0/node_modules/Q").
// Without links (mode "probe-flat"), each package is a plain folder node_modules/NAME.
// A lookup resolves "require('pQ/lib/util')" from inside pP as Node's resolver does: a miss in
// pP's own node_modules, the realpath step (readlink of the link, or lstat of the folder), a
// stat of the package folder, a read of its package.json, then the candidates in order
// (lib/util, lib/util.js, .mjs, .cjs, .json, .node, lib/util/package.json, then
// lib/util/index.js, which exists): 11 path calls, 8 of them failing stats or misses.
#define PACKAGES 200
static int probe(long n, int links) {
  char path[192], target[192], buf[256], pkg[128];
  struct stat st;
  make_dir("box/node_modules");
  if (links) make_dir("box/node_modules/.pnpm");
  for (int i = 0; i < PACKAGES; i++) {
    if (links) {
      snprintf(path, sizeof path, "box/node_modules/.pnpm/p%d@1.0.0", i);
      make_dir(path);
      snprintf(path, sizeof path, "box/node_modules/.pnpm/p%d@1.0.0/node_modules", i);
      make_dir(path);
      snprintf(pkg, sizeof pkg, "box/node_modules/.pnpm/p%d@1.0.0/node_modules/p%d", i, i);
    } else {
      snprintf(pkg, sizeof pkg, "box/node_modules/p%d", i);
    }
    make_dir(pkg);
    snprintf(path, sizeof path, "%s/lib", pkg);
    make_dir(path);
    snprintf(path, sizeof path, "%s/lib/util", pkg);
    make_dir(path);
    snprintf(path, sizeof path, "%s/package.json", pkg);
    make_file(path, "{\"name\":\"p\",\"version\":\"1.0.0\",\"main\":\"lib/util/index.js\"}");
    snprintf(path, sizeof path, "%s/lib/util/index.js", pkg);
    make_file(path, "module.exports = 1;");
    if (links) {
      snprintf(path, sizeof path, "box/node_modules/p%d", i);
      snprintf(target, sizeof target, ".pnpm/p%d@1.0.0/node_modules/p%d", i, i);
      if (symlink(target, path) != 0) die(path);
    }
  }
  for (int i = 0; links && i < PACKAGES; i++) {
    int q = (i + 1) % PACKAGES;
    snprintf(path, sizeof path, "box/node_modules/.pnpm/p%d@1.0.0/node_modules/p%d", i, q);
    snprintf(target, sizeof target, "../../p%d@1.0.0/node_modules/p%d", q, q);
    if (symlink(target, path) != 0) die(path);
  }
  static const char *candidates[] = {".js", ".mjs", ".cjs", ".json", ".node", "/package.json"};
  start();
  for (long i = 0; i < n; i++) {
    int p = (int)(i % PACKAGES), q = (p + 1) % PACKAGES;
    char base[128];
    if (links) {
      snprintf(path, sizeof path, "box/node_modules/.pnpm/p%d@1.0.0/node_modules/p%d/node_modules/p%d", p, p, q);
      if (stat(path, &st) == 0) return fprintf(stderr, "%s exists\n", path), 1;
      snprintf(base, sizeof base, "box/node_modules/.pnpm/p%d@1.0.0/node_modules/p%d", p, q);
      if (readlink(base, target, sizeof target) <= 0) die(base);
    } else {
      snprintf(path, sizeof path, "box/node_modules/p%d/node_modules/p%d", p, q);
      if (stat(path, &st) == 0) return fprintf(stderr, "%s exists\n", path), 1;
      snprintf(base, sizeof base, "box/node_modules/p%d", q);
      if (lstat(base, &st) != 0) die(base);
    }
    if (stat(base, &st) != 0 || !S_ISDIR(st.st_mode)) die(base);
    snprintf(path, sizeof path, "%s/package.json", base);
    int fd = open(path, O_RDONLY);
    if (fd < 0 || read(fd, buf, sizeof buf) <= 0 || close(fd) != 0) die(path);
    snprintf(path, sizeof path, "%s/lib/util", base);
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) die(path);
    for (int c = 0; c < 6; c++) {
      snprintf(path, sizeof path, "%s/lib/util%s", base, candidates[c]);
      if (stat(path, &st) == 0) return fprintf(stderr, "%s exists\n", path), 1;
    }
    snprintf(path, sizeof path, "%s/lib/util/index.js", base);
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) die(path);
  }
  return stop(n);
}

static int list(long n) {
  char path[64];
  make_dir("box/list");
  for (long i = 0; i < n; i++) {
    snprintf(path, sizeof path, "box/list/entry-%ld", i);
    make_file(path, "");
  }
  start();
  DIR *d = opendir("box/list");
  if (!d) die("opendir");
  long seen = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) seen += e->d_name[0] != '.';
  closedir(d);
  stop(n);
  if (seen != n) return fprintf(stderr, "listed %ld of %ld\n", seen, n), 1;
  return 0;
}

/* Creates N small files in box/churn, then deletes them: file creation and removal. */
static int churn(long n) {
  char path[64];
  make_dir("box/churn");
  start();
  for (long i = 0; i < n; i++) {
    snprintf(path, sizeof path, "box/churn/f%ld", i);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0) die(path);
    write_all(fd, "0123456789abcde\n", 16);
    if (close(fd) != 0) die("close");
  }
  for (long i = 0; i < n; i++) {
    snprintf(path, sizeof path, "box/churn/f%ld", i);
    if (unlink(path) != 0) die(path);
  }
  stop(2 * n);
  return rmdir("box/churn") != 0;
}

/*
 * SQLite-like transactions, the file calls of SQLite's default rollback-journal mode
 * (synchronous=FULL): a transaction reads 8 random pages of box/db (the B-tree descents of its
 * queries), creates box/db-journal with a 512-byte header and the 4 pages it will change (read
 * from the database first), syncs the journal, writes the 4 pages into the database, syncs it,
 * and deletes the journal: 26 calls, 2 of them syncs.
 */
static int txn(long n, long mib) {
  static char page[4096];
  long pages = mib * 256;
  int db = open("box/db", O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (db < 0) die("box/db");
  memset(page, 'p', sizeof page);
  for (long i = 0; i < pages; i++) write_all(db, page, sizeof page);
  if (fsync(db) != 0) die("fsync");
  unsigned rng = 12345;
  long touched[4];
  start();
  for (long t = 0; t < n; t++) {
    for (int k = 0; k < 8; k++) {
      rng = rng * 1664525u + 1013904223u;
      if (pread(db, page, sizeof page, (off_t)((rng >> 8) % pages) * 4096) != (ssize_t)sizeof page) die("pread");
    }
    int j = open("box/db-journal", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (j < 0) die("box/db-journal");
    write_all(j, chunk, 512);
    for (int k = 0; k < 4; k++) {
      rng = rng * 1664525u + 1013904223u;
      touched[k] = (long)((rng >> 8) % pages);
      if (pread(db, page, sizeof page, (off_t)touched[k] * 4096) != (ssize_t)sizeof page) die("pread");
      write_all(j, page, sizeof page);
    }
    if (fsync(j) != 0 || close(j) != 0) die("journal");
    for (int k = 0; k < 4; k++) {
      page[0] = (char)t;
      if (pwrite(db, page, sizeof page, (off_t)touched[k] * 4096) != (ssize_t)sizeof page) die("pwrite");
    }
    if (fsync(db) != 0) die("fsync");
    if (unlink("box/db-journal") != 0) die("unlink");
  }
  stop(n);
  return close(db);
}

int main(int argc, char **argv) {
  if (argc != 3 && argc != 4) {
    fprintf(stderr, "usage: bench MODE N [MIB]\n");
    return 2;
  }
  const char *mode = argv[1];
  long n = atol(argv[2]);
  memset(chunk, 'x', sizeof chunk);
  if (strcmp(mode, "stdout1") == 0) {
    start();
    for (long i = 0; i < n; i++) write_all(1, chunk, 1);
    return stop(n);
  }
  if (strcmp(mode, "stdout") == 0) {
    start();
    for (long i = 0; i < n; i++) write_all(1, chunk, sizeof chunk);
    return stop(n);
  }
  if (strcmp(mode, "clock") == 0) {
    struct timespec t;
    long long sum = 0;
    start();
    for (long i = 0; i < n; i++) {
      clock_gettime(CLOCK_MONOTONIC, &t);
      sum += t.tv_nsec;
    }
    stop(n);
    return sum == 42;  // keeps the loop
  }
  if (strcmp(mode, "openstat") == 0) return openstat(n);
  if (strcmp(mode, "probe") == 0) return probe(n, 1);
  if (strcmp(mode, "probe-flat") == 0) return probe(n, 0);
  if (strcmp(mode, "readdir") == 0) return list(n);
  if (strcmp(mode, "churn") == 0) return churn(n);
  long mib = argc == 4 ? atol(argv[3]) : 64;
  if (mib < 1) return fprintf(stderr, "file size must be at least 1 MiB\n"), 2;
  if (strcmp(mode, "txn") == 0) return txn(n, argc == 4 ? mib : 16);
  if (strcmp(mode, "pread") == 0) return random_io(n, mib, 0);
  if (strcmp(mode, "pwrite") == 0) return random_io(n, mib, 1);
  if (strcmp(mode, "read") == 0) {
    int fd = open_data(n);
    if (lseek(fd, 0, SEEK_SET) != 0) die("lseek");
    long total = 0;
    ssize_t got;
    start();
    while ((got = read(fd, chunk, sizeof chunk)) > 0) total += got;
    stop(n * 16);
    if (total != n * 1024 * 1024) return fprintf(stderr, "read %ld bytes\n", total), 1;
    return close(fd);
  }
  if (strcmp(mode, "write") == 0) {
    int fd = open("box/data.bin", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) die("box/data.bin");
    start();
    for (long i = 0; i < n * 16; i++) write_all(fd, chunk, sizeof chunk);
    stop(n * 16);
    return close(fd);
  }
  if (strcmp(mode, "write1") == 0) {
    int fd = open("box/w1.bin", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) die("box/w1.bin");
    start();
    for (long i = 0; i < n; i++) write_all(fd, chunk, 1);
    stop(n);
    return close(fd);
  }
  if (strcmp(mode, "append") == 0) {
    int fd = open("box/log.txt", O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd < 0) die("box/log.txt");
    start();
    for (long i = 0; i < n; i++) write_all(fd, "0123456789abcde\n", 16);
    stop(n);
    return close(fd);
  }
  if (strcmp(mode, "fstat") == 0) {
    int fd = open_data(0);
    struct stat st;
    start();
    for (long i = 0; i < n; i++) {
      if (fstat(fd, &st) != 0 || st.st_size != 0) die("fstat");
    }
    stop(n);
    return close(fd);
  }
  if (strcmp(mode, "seek") == 0) {
    int fd = open_data(0);
    start();
    for (long i = 0; i < n; i++) {
      if (lseek(fd, 0, SEEK_CUR) != 0) die("lseek");
    }
    stop(n);
    return close(fd);
  }
  fprintf(stderr, "unknown mode %s\n", mode);
  return 2;
}
