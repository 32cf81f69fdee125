/*
 * Shared helpers for the C fixtures.
 *
 * Every fixture is a self-checking program: it exits 0 when the behaviour
 * under test is correct and exits 1 (after printing a FAIL line on stderr)
 * at the first failed check.
 *
 * Filesystem fixtures run with the folder "fs.dir" preopened under its own
 * name; it starts with:
 *   fs.dir/hello.txt          "Hello, fixture!\n"  (16 bytes)
 *   fs.dir/subdir/nested.txt  "nested file\n"      (12 bytes)
 * Each run gets a fresh writable copy, so fixtures may modify it freely.
 */
#ifndef FIXTURE_COMMON_H
#define FIXTURE_COMMON_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define FS "fs.dir"
#define HELLO_PATH FS "/hello.txt"
#define HELLO_TEXT "Hello, fixture!\n"
#define NESTED_PATH FS "/subdir/nested.txt"
#define NESTED_TEXT "nested file\n"

static inline void fixture_fail(const char *file, int line, const char *what,
                                int err) {
  fprintf(stderr, "FAIL %s:%d: %s (errno=%d %s)\n", file, line, what, err,
          strerror(err));
  exit(1);
}

/* Fails the test when cond is false. */
#define CHECK(cond)                                                          \
  do {                                                                       \
    if (!(cond))                                                             \
      fixture_fail(__FILE__, __LINE__, #cond, errno);                        \
  } while (0)

/* Fails the test unless a == b; reports both values (as long long). */
#define CHECK_EQ(a, b)                                                       \
  do {                                                                       \
    long long check_a_ = (long long)(a), check_b_ = (long long)(b);          \
    int check_e_ = errno;                                                    \
    if (check_a_ != check_b_) {                                              \
      char check_msg_[512];                                                  \
      snprintf(check_msg_, sizeof check_msg_, "%s == %s [%lld != %lld]", #a, \
               #b, check_a_, check_b_);                                      \
      fixture_fail(__FILE__, __LINE__, check_msg_, check_e_);                \
    }                                                                        \
  } while (0)

/* Fails the test when a call returning -1 on error failed. */
#define CHECK_OK(expr) CHECK((expr) != -1)

/* Asserts that expr returns -1 and sets errno to E1 or E2. */
#define CHECK_ERRNO2(expr, E1, E2)                                           \
  do {                                                                       \
    errno = 0;                                                               \
    long long check_r_ = (long long)(expr);                                  \
    int check_e_ = errno;                                                    \
    if (check_r_ != -1 || (check_e_ != (E1) && check_e_ != (E2))) {          \
      char check_msg_[512];                                                  \
      snprintf(check_msg_, sizeof check_msg_,                                \
               "%s returned %lld, expected -1 with %s", #expr, check_r_,     \
               (E1) == (E2) ? #E1 : #E1 " or " #E2);                         \
      fixture_fail(__FILE__, __LINE__, check_msg_, check_e_);                \
    }                                                                        \
  } while (0)

/* Asserts that expr returns -1 and sets errno to E. */
#define CHECK_ERRNO(expr, E) CHECK_ERRNO2(expr, E, E)

/* Creates (or truncates) path and writes the NUL-terminated text into it. */
static inline void put_file(const char *path, const char *text) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  CHECK(fd >= 0);
  size_t len = strlen(text);
  CHECK_EQ(write(fd, text, len), len);
  CHECK_OK(close(fd));
}

/* Asserts that the file at path holds exactly the given text. */
static inline void check_file(const char *path, const char *text) {
  char buf[4096];
  int fd = open(path, O_RDONLY);
  CHECK(fd >= 0);
  ssize_t n = read(fd, buf, sizeof buf);
  CHECK(n >= 0);
  CHECK_EQ(n, strlen(text));
  CHECK(memcmp(buf, text, (size_t)n) == 0);
  CHECK_OK(close(fd));
}

/* Size of the file at path, following symlinks. */
static inline long long file_size(const char *path) {
  struct stat st;
  CHECK_OK(stat(path, &st));
  return (long long)st.st_size;
}

/* Current time of the given clock, in nanoseconds. */
static inline int64_t now_ns(clockid_t clk) {
  struct timespec ts;
  CHECK_OK(clock_gettime(clk, &ts));
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

#endif
