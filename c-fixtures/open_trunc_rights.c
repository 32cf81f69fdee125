/* Truncating at open is a right of the directory: after a directory drops
 * PATH_FILESTAT_SET_SIZE from its base rights, path_open with O_TRUNC through
 * it fails (ENOTCAPABLE or EPERM) and leaves the file whole; without
 * FD_FILESTAT_SET_SIZE among the rights it passes on, O_TRUNC still works.
 * (wasi-testsuite: truncation_rights.) */
#include <wasi/api.h>

#include "common.h"

static void set_rights(int dir, __wasi_rights_t base, __wasi_rights_t inh) {
  CHECK_EQ(__wasi_fd_fdstat_set_rights(dir, base, inh), 0);
  __wasi_fdstat_t st;
  CHECK_EQ(__wasi_fd_fdstat_get(dir, &st), 0);
  CHECK_EQ(st.fs_rights_base, base);
  CHECK_EQ(st.fs_rights_inheriting, inh);
}

int main(void) {
  int dir = open(FS, O_RDONLY | O_DIRECTORY);
  CHECK(dir >= 0);
  __wasi_fdstat_t st;
  CHECK_EQ(__wasi_fd_fdstat_get(dir, &st), 0);
  CHECK(st.fs_rights_base & __WASI_RIGHTS_PATH_FILESTAT_SET_SIZE);
  CHECK(st.fs_rights_inheriting & __WASI_RIGHTS_FD_FILESTAT_SET_SIZE);
  __wasi_fd_t fd;

  /* O_TRUNC with every right */
  put_file(FS "/file", "some text");
  CHECK_EQ(__wasi_path_open(dir, 0, "file", __WASI_OFLAGS_TRUNC, 0, 0, 0, &fd), 0);
  CHECK_OK(close(fd));
  CHECK_EQ(file_size(FS "/file"), 0);

  /* without FD_FILESTAT_SET_SIZE passed on: still allowed */
  put_file(FS "/file", "some text");
  set_rights(dir, st.fs_rights_base,
             st.fs_rights_inheriting & ~__WASI_RIGHTS_FD_FILESTAT_SET_SIZE);
  CHECK_EQ(__wasi_path_open(dir, 0, "file", __WASI_OFLAGS_TRUNC, 0, 0, 0, &fd), 0);
  __wasi_fdstat_t fst;
  CHECK_EQ(__wasi_fd_fdstat_get(fd, &fst), 0);
  CHECK((fst.fs_rights_base & __WASI_RIGHTS_FD_FILESTAT_SET_SIZE) == 0);
  CHECK_OK(close(fd));
  CHECK_EQ(file_size(FS "/file"), 0);

  /* without PATH_FILESTAT_SET_SIZE: refused, the file is left whole */
  put_file(FS "/file", "some text");
  set_rights(dir, st.fs_rights_base & ~__WASI_RIGHTS_PATH_FILESTAT_SET_SIZE,
             st.fs_rights_inheriting & ~__WASI_RIGHTS_FD_FILESTAT_SET_SIZE);
  __wasi_errno_t e = __wasi_path_open(dir, 0, "file", __WASI_OFLAGS_TRUNC, 0, 0, 0, &fd);
  CHECK(e == __WASI_ERRNO_NOTCAPABLE || e == __WASI_ERRNO_PERM);
  e = __wasi_path_open(dir, 0, "file", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC,
                       __WASI_RIGHTS_FD_WRITE, 0, 0, &fd);
  CHECK(e == __WASI_ERRNO_NOTCAPABLE || e == __WASI_ERRNO_PERM);
  CHECK_EQ(file_size(FS "/file"), 9);
  /* opening without O_TRUNC is unaffected */
  CHECK_EQ(__wasi_path_open(dir, 0, "file", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd), 0);
  CHECK_OK(close(fd));
  CHECK_OK(close(dir));
  return 0;
}
