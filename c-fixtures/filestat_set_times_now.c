/* The *_NOW flags of path_filestat_set_times / fd_filestat_set_times set
 * timestamps to the current time; passing both a time and _NOW for the same
 * timestamp is rejected with EINVAL.
 *
 * The WASI calls are made directly: the wasi-libc build used for these
 * fixtures mishandles UTIME_OMIT/UTIME_NOW in utimensat/futimens. */
#include <wasi/api.h>

#include "common.h"

#define SEC 1000000000LL

static int64_t ts_ns(struct timespec ts) {
  return (int64_t)ts.tv_sec * SEC + ts.tv_nsec;
}

int main(void) {
  int dir = open(FS, O_RDONLY | O_DIRECTORY);
  CHECK(dir >= 0);
  int64_t before = now_ns(CLOCK_REALTIME);
  CHECK_EQ(__wasi_path_filestat_set_times(
               dir, 0, "hello.txt", 0, 0,
               __WASI_FSTFLAGS_ATIM_NOW | __WASI_FSTFLAGS_MTIM_NOW),
           0);
  int64_t after = now_ns(CLOCK_REALTIME);
  struct stat st;
  CHECK_OK(stat(HELLO_PATH, &st));
  /* File systems may stamp with a coarser clock: allow one second. */
  CHECK(ts_ns(st.st_mtim) >= before - SEC && ts_ns(st.st_mtim) <= after + SEC);
  CHECK(ts_ns(st.st_atim) >= before - SEC && ts_ns(st.st_atim) <= after + SEC);

  /* mtime now, atime explicit, through a descriptor */
  int fd = open(NESTED_PATH, O_RDWR);
  CHECK(fd >= 0);
  before = now_ns(CLOCK_REALTIME);
  CHECK_EQ(__wasi_fd_filestat_set_times(
               fd, 1600000000 * SEC, 0,
               __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM_NOW),
           0);
  after = now_ns(CLOCK_REALTIME);
  CHECK_OK(fstat(fd, &st));
  CHECK_EQ(st.st_atim.tv_sec, 1600000000);
  CHECK(ts_ns(st.st_mtim) >= before - SEC && ts_ns(st.st_mtim) <= after + SEC);

  CHECK_EQ(__wasi_fd_filestat_set_times(
               fd, 0, 0, __WASI_FSTFLAGS_MTIM | __WASI_FSTFLAGS_MTIM_NOW),
           __WASI_ERRNO_INVAL);
  CHECK_OK(close(fd));
  CHECK_OK(close(dir));
  return 0;
}
