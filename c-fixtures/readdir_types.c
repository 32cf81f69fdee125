/* readdir reports d_type for files, directories and symlinks (DT_UNKNOWN is
 * tolerated, as POSIX allows). */
#include <dirent.h>

#include "common.h"

int main(void) {
  CHECK_OK(symlink("hello.txt", FS "/link"));
  DIR *d = opendir(FS);
  CHECK(d != NULL);
  int found = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, "hello.txt") == 0) {
      CHECK(e->d_type == DT_REG || e->d_type == DT_UNKNOWN);
      found |= 1;
    } else if (strcmp(e->d_name, "subdir") == 0) {
      CHECK(e->d_type == DT_DIR || e->d_type == DT_UNKNOWN);
      found |= 2;
    } else if (strcmp(e->d_name, "link") == 0) {
      CHECK(e->d_type == DT_LNK || e->d_type == DT_UNKNOWN);
      found |= 4;
    }
  }
  CHECK_OK(closedir(d));
  CHECK_EQ(found, 7);
  return 0;
}
