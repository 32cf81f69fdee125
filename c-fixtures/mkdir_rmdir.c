/* mkdir creates an empty directory usable for new files; rmdir removes it
 * once empty. */
#include "common.h"

int main(void) {
  const char *dir = FS "/newdir";
  CHECK_OK(mkdir(dir, 0755));
  struct stat st;
  CHECK_OK(stat(dir, &st));
  CHECK(S_ISDIR(st.st_mode));
  put_file(FS "/newdir/inside.txt", "inside");
  check_file(FS "/newdir/inside.txt", "inside");
  CHECK_OK(unlink(FS "/newdir/inside.txt"));
  CHECK_OK(rmdir(dir));
  CHECK_ERRNO(stat(dir, &st), ENOENT);
  CHECK_ERRNO(rmdir(dir), ENOENT);
  return 0;
}
