/* Setting only one timestamp leaves the other exactly as it was, to the
 * nanosecond: path_filestat_set_times and fd_filestat_set_times with only
 * MTIM (or only ATIM) never round the kept time (wasi-testsuite's
 * fd_filestat_set / path_filestat compare the kept atim exactly).
 *
 * The WASI calls are made directly: the wasi-libc build used for these
 * fixtures mishandles UTIME_OMIT in utimensat/futimens. */
#include <wasi/api.h>

#include "common.h"

#define SEC 1000000000ULL

static void check_times(const char *path, long long asec, long long ansec,
                        long long msec, long long mnsec) {
  struct stat st;
  CHECK_OK(stat(path, &st));
  CHECK_EQ(st.st_atim.tv_sec, asec);
  CHECK_EQ(st.st_atim.tv_nsec, ansec);
  CHECK_EQ(st.st_mtim.tv_sec, msec);
  CHECK_EQ(st.st_mtim.tv_nsec, mnsec);
}

int main(void) {
  int dir = open(FS, O_RDONLY | O_DIRECTORY);
  CHECK(dir >= 0);
  /* both times, with digits below the microsecond */
  CHECK_EQ(__wasi_path_filestat_set_times(
               dir, 0, "hello.txt", 1600000000 * SEC + 289067891,
               1600000100 * SEC + 123456789,
               __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM),
           0);
  check_times(HELLO_PATH, 1600000000, 289067891, 1600000100, 123456789);

  /* mtime only, by path: atime stays to the nanosecond */
  CHECK_EQ(__wasi_path_filestat_set_times(dir, 0, "hello.txt", 0,
                                          1700000000 * SEC + 1,
                                          __WASI_FSTFLAGS_MTIM),
           0);
  check_times(HELLO_PATH, 1600000000, 289067891, 1700000000, 1);

  /* mtime only, through a descriptor */
  int fd = open(HELLO_PATH, O_RDWR);
  CHECK(fd >= 0);
  CHECK_EQ(__wasi_fd_filestat_set_times(fd, 0, 1710000000 * SEC + 999999999,
                                        __WASI_FSTFLAGS_MTIM),
           0);
  check_times(HELLO_PATH, 1600000000, 289067891, 1710000000, 999999999);

  /* atime only, through a descriptor: mtime stays to the nanosecond */
  CHECK_EQ(__wasi_fd_filestat_set_times(fd, 1650000000 * SEC + 7, 0,
                                        __WASI_FSTFLAGS_ATIM),
           0);
  check_times(HELLO_PATH, 1650000000, 7, 1710000000, 999999999);

  /* mtime set to "now": atime still kept exactly */
  CHECK_EQ(__wasi_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_MTIM_NOW), 0);
  struct stat st;
  CHECK_OK(fstat(fd, &st));
  CHECK_EQ(st.st_atim.tv_sec, 1650000000);
  CHECK_EQ(st.st_atim.tv_nsec, 7);
  CHECK(st.st_mtim.tv_sec > 1710000000);
  CHECK_OK(close(fd));

  /* a directory, by path */
  CHECK_EQ(__wasi_path_filestat_set_times(
               dir, 0, "subdir", 1600000000 * SEC + 111111111,
               1600000000 * SEC + 222222222,
               __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM),
           0);
  CHECK_EQ(__wasi_path_filestat_set_times(dir, 0, "subdir", 0,
                                          1700000000 * SEC + 333333333,
                                          __WASI_FSTFLAGS_MTIM),
           0);
  check_times(FS "/subdir", 1600000000, 111111111, 1700000000, 333333333);
  CHECK_OK(close(dir));
  return 0;
}
