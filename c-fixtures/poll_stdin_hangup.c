/* poll on stdin follows the pipe: with data it reports POLLIN at once; once
 * the data is read and the writer has closed, POLLIN with POLLHUP (the read
 * then returns 0; a regular file on stdin stays just readable). Given "idle" as argument, the writer stays open with no
 * data: a poll with a timeout waits the whole timeout and reports nothing,
 * and the read after it waits for the data (test/stdin-readiness.test.ts). */
#include <poll.h>

#include "common.h"

static int poll_stdin(int timeout_ms, short *revents) {
  struct pollfd p = {.fd = 0, .events = POLLIN};
  int r = poll(&p, 1, timeout_ms);
  *revents = p.revents;
  return r;
}

int main(int argc, char **argv) {
  short rev;
  char buf[64];
  if (argc > 1 && strcmp(argv[1], "idle") == 0) {
    printf("polling\n"); /* tells the writer when to start waiting */
    fflush(stdout);
    int64_t t0 = now_ns(CLOCK_MONOTONIC);
    CHECK_EQ(poll_stdin(2000, &rev), 0);
    CHECK_EQ(rev, 0);
    int64_t waited_ms = (now_ns(CLOCK_MONOTONIC) - t0) / 1000000;
    CHECK(waited_ms >= 1990);
    ssize_t n = read(0, buf, sizeof buf);
    CHECK(n > 0);
    printf("poll 0, then read %.*s", (int)n, buf);
    return 0;
  }
  CHECK_EQ(poll_stdin(5000, &rev), 1);
  CHECK(rev & POLLIN);
  CHECK_EQ(read(0, buf, sizeof buf), 6);
  CHECK(memcmp(buf, "ready\n", 6) == 0);
  CHECK_EQ(poll_stdin(5000, &rev), 1);
  CHECK(rev & POLLIN);
  struct stat st;
  CHECK_OK(fstat(0, &st));
  if (!S_ISREG(st.st_mode)) /* a file read to its end has no writer to hang up */
    CHECK(rev & POLLHUP);
  CHECK_EQ(read(0, buf, sizeof buf), 0);
  return 0;
}
