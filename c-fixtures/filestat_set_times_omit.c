/* path_filestat_set_times / fd_filestat_set_times set only the timestamps
 * named in the flags and leave the other one unchanged.
 *
 * The WASI calls are made directly: the wasi-libc build used for these
 * fixtures mishandles UTIME_OMIT/UTIME_NOW in utimensat/futimens. */
#include <wasi/api.h>

#include "common.h"

#define SEC 1000000000ULL

int main(void) {
  int dir = open(FS, O_RDONLY | O_DIRECTORY);
  CHECK(dir >= 0);
  CHECK_EQ(__wasi_path_filestat_set_times(dir, 0, "hello.txt", 1600000000 * SEC,
                                          1600000100 * SEC,
                                          __WASI_FSTFLAGS_ATIM |
                                              __WASI_FSTFLAGS_MTIM),
           0);
  /* mtime only */
  CHECK_EQ(__wasi_path_filestat_set_times(dir, 0, "hello.txt", 0,
                                          1700000000 * SEC,
                                          __WASI_FSTFLAGS_MTIM),
           0);
  struct stat st;
  CHECK_OK(stat(HELLO_PATH, &st));
  CHECK_EQ(st.st_atim.tv_sec, 1600000000);
  CHECK_EQ(st.st_mtim.tv_sec, 1700000000);
  /* atime only, through a descriptor */
  int fd = open(HELLO_PATH, O_RDWR);
  CHECK(fd >= 0);
  CHECK_EQ(__wasi_fd_filestat_set_times(fd, 1650000000 * SEC, 0,
                                        __WASI_FSTFLAGS_ATIM),
           0);
  CHECK_OK(fstat(fd, &st));
  CHECK_EQ(st.st_atim.tv_sec, 1650000000);
  CHECK_EQ(st.st_mtim.tv_sec, 1700000000);
  /* no flags: nothing changes */
  CHECK_EQ(__wasi_fd_filestat_set_times(fd, 0, 0, 0), 0);
  CHECK_OK(fstat(fd, &st));
  CHECK_EQ(st.st_atim.tv_sec, 1650000000);
  CHECK_EQ(st.st_mtim.tv_sec, 1700000000);
  CHECK_OK(close(fd));
  CHECK_OK(close(dir));
  return 0;
}
