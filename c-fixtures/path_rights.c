/* Every path call needs the right named after it on the directory it goes
 * through: once a directory descriptor drops that one right
 * (fd_fdstat_set_rights), the call fails with ENOTCAPABLE (or EPERM) and
 * changes nothing, while a descriptor that kept the right still succeeds.
 * path_open also needs PATH_CREATE_FILE for O_CREAT, and FD_DATASYNC /
 * FD_SYNC among the inherited rights for O_DSYNC / O_SYNC, as the witx says. */
#include <wasi/api.h>

#include "common.h"

#define REFUSED(call)                                                        \
  do {                                                                       \
    __wasi_errno_t refused_e_ = (call);                                      \
    if (refused_e_ != __WASI_ERRNO_NOTCAPABLE &&                             \
        refused_e_ != __WASI_ERRNO_PERM)                                     \
      fixture_fail(__FILE__, __LINE__, #call " was not refused", refused_e_); \
  } while (0)
#define OK(call) CHECK_EQ((call), 0)

/* A fresh descriptor for fs.dir without the given base and inherited rights. */
static int dir_without(__wasi_rights_t base, __wasi_rights_t inh) {
  int dir = open(FS, O_RDONLY | O_DIRECTORY);
  CHECK(dir >= 0);
  __wasi_fdstat_t st;
  OK(__wasi_fd_fdstat_get(dir, &st));
  CHECK_EQ(st.fs_rights_base & base, base);
  OK(__wasi_fd_fdstat_set_rights(dir, st.fs_rights_base & ~base,
                                 st.fs_rights_inheriting & ~inh));
  return dir;
}

static int exists(const char *path) {
  struct stat st;
  return lstat(path, &st) == 0;
}

int main(void) {
  int all = dir_without(0, 0);
  __wasi_fd_t fd;
  __wasi_filestat_t fst;
  char buf[32];
  __wasi_size_t n;
  put_file(FS "/victim", "data");
  CHECK_OK(symlink("victim", FS "/link"));
  CHECK_OK(mkdir(FS "/emptydir", 0755));

  int d = dir_without(__WASI_RIGHTS_PATH_OPEN, 0);
  REFUSED(__wasi_path_open(d, 0, "victim", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd));
  REFUSED(__wasi_path_open(d, 0, "subdir", __WASI_OFLAGS_DIRECTORY, 0, 0, 0, &fd));
  CHECK_OK(close(d));

  d = dir_without(__WASI_RIGHTS_PATH_CREATE_FILE, 0);
  REFUSED(__wasi_path_open(d, 0, "new", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE, 0, 0, &fd));
  CHECK(!exists(FS "/new"));
  OK(__wasi_path_open(d, 0, "victim", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd));
  CHECK_OK(close(fd));
  CHECK_OK(close(d));
  OK(__wasi_path_open(all, 0, "new", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_WRITE, 0, 0, &fd));
  CHECK_OK(close(fd));

  d = dir_without(0, __WASI_RIGHTS_FD_DATASYNC);
  REFUSED(__wasi_path_open(d, 0, "victim", 0, __WASI_RIGHTS_FD_WRITE, 0, __WASI_FDFLAGS_DSYNC, &fd));
  OK(__wasi_path_open(d, 0, "victim", 0, __WASI_RIGHTS_FD_WRITE, 0, 0, &fd));
  CHECK_OK(close(fd));
  CHECK_OK(close(d));
  d = dir_without(0, __WASI_RIGHTS_FD_SYNC);
  REFUSED(__wasi_path_open(d, 0, "victim", 0, __WASI_RIGHTS_FD_WRITE, 0, __WASI_FDFLAGS_SYNC, &fd));
  REFUSED(__wasi_path_open(d, 0, "victim", 0, __WASI_RIGHTS_FD_READ, 0, __WASI_FDFLAGS_RSYNC, &fd));
  CHECK_OK(close(d));
  OK(__wasi_path_open(all, 0, "victim", 0, __WASI_RIGHTS_FD_WRITE, 0, __WASI_FDFLAGS_DSYNC | __WASI_FDFLAGS_SYNC, &fd));
  CHECK_OK(close(fd));

  d = dir_without(__WASI_RIGHTS_PATH_CREATE_DIRECTORY, 0);
  REFUSED(__wasi_path_create_directory(d, "newdir"));
  CHECK(!exists(FS "/newdir"));
  CHECK_OK(close(d));
  OK(__wasi_path_create_directory(all, "newdir"));

  d = dir_without(__WASI_RIGHTS_PATH_FILESTAT_GET, 0);
  REFUSED(__wasi_path_filestat_get(d, 0, "victim", &fst));
  CHECK_OK(close(d));
  OK(__wasi_path_filestat_get(all, 0, "victim", &fst));

  d = dir_without(__WASI_RIGHTS_PATH_FILESTAT_SET_TIMES, 0);
  REFUSED(__wasi_path_filestat_set_times(d, 0, "victim", 1000000000, 1000000000,
                                         __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));
  CHECK_OK(close(d));
  OK(__wasi_path_filestat_get(all, 0, "victim", &fst));
  CHECK(fst.mtim != 1000000000);
  OK(__wasi_path_filestat_set_times(all, 0, "victim", 1000000000, 1000000000,
                                    __WASI_FSTFLAGS_ATIM | __WASI_FSTFLAGS_MTIM));

  d = dir_without(__WASI_RIGHTS_PATH_READLINK, 0);
  REFUSED(__wasi_path_readlink(d, "link", (uint8_t *)buf, sizeof buf, &n));
  CHECK_OK(close(d));
  OK(__wasi_path_readlink(all, "link", (uint8_t *)buf, sizeof buf, &n));
  CHECK_EQ(n, 6);

  d = dir_without(__WASI_RIGHTS_PATH_SYMLINK, 0);
  REFUSED(__wasi_path_symlink("victim", d, "link2"));
  CHECK(!exists(FS "/link2"));
  CHECK_OK(close(d));
  OK(__wasi_path_symlink("victim", all, "link2"));

  /* link and rename: the source directory needs *_SOURCE, the target *_TARGET */
  d = dir_without(__WASI_RIGHTS_PATH_LINK_SOURCE, 0);
  REFUSED(__wasi_path_link(d, 0, "victim", all, "hard"));
  OK(__wasi_path_link(all, 0, "victim", d, "hard"));
  CHECK_OK(close(d));
  CHECK_OK(unlink(FS "/hard"));
  d = dir_without(__WASI_RIGHTS_PATH_LINK_TARGET, 0);
  REFUSED(__wasi_path_link(all, 0, "victim", d, "hard"));
  CHECK(!exists(FS "/hard"));
  OK(__wasi_path_link(d, 0, "victim", all, "hard"));
  CHECK_OK(close(d));

  d = dir_without(__WASI_RIGHTS_PATH_RENAME_SOURCE, 0);
  REFUSED(__wasi_path_rename(d, "hard", all, "moved"));
  OK(__wasi_path_rename(all, "hard", d, "moved"));
  CHECK_OK(close(d));
  d = dir_without(__WASI_RIGHTS_PATH_RENAME_TARGET, 0);
  REFUSED(__wasi_path_rename(all, "moved", d, "hard"));
  CHECK(exists(FS "/moved") && !exists(FS "/hard"));
  OK(__wasi_path_rename(d, "moved", all, "hard"));
  CHECK_OK(close(d));

  d = dir_without(__WASI_RIGHTS_PATH_UNLINK_FILE, 0);
  REFUSED(__wasi_path_unlink_file(d, "hard"));
  CHECK(exists(FS "/hard"));
  CHECK_OK(close(d));
  OK(__wasi_path_unlink_file(all, "hard"));

  d = dir_without(__WASI_RIGHTS_PATH_REMOVE_DIRECTORY, 0);
  REFUSED(__wasi_path_remove_directory(d, "emptydir"));
  CHECK(exists(FS "/emptydir"));
  CHECK_OK(close(d));
  OK(__wasi_path_remove_directory(all, "emptydir"));

  /* a directory opened through one that passes on fewer rights gets fewer:
   * asking for more is refused, or (iotypes, wasmtime) the right is left out */
  d = dir_without(0, __WASI_RIGHTS_PATH_UNLINK_FILE);
  __wasi_errno_t e = __wasi_path_open(d, 0, "subdir", __WASI_OFLAGS_DIRECTORY,
                                      __WASI_RIGHTS_PATH_OPEN | __WASI_RIGHTS_PATH_UNLINK_FILE,
                                      0, 0, &fd);
  if (e == 0) {
    REFUSED(__wasi_path_unlink_file(fd, "nested.txt"));
    CHECK_OK(close(fd));
  } else {
    REFUSED(e);
  }
  CHECK(exists(NESTED_PATH));
  CHECK_OK(close(d));
  CHECK_OK(close(all));
  return 0;
}
