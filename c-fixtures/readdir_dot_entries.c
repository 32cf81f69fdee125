/* readdir returns "." and ".." exactly once each, with directory type, next
 * to the real entries. */
#include <dirent.h>

#include "common.h"

int main(void) {
  DIR *d = opendir(FS "/subdir");
  CHECK(d != NULL);
  int dot = 0, dotdot = 0, nested = 0, other = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0) {
      dot++;
      CHECK(e->d_type == DT_DIR || e->d_type == DT_UNKNOWN);
    } else if (strcmp(e->d_name, "..") == 0) {
      dotdot++;
      CHECK(e->d_type == DT_DIR || e->d_type == DT_UNKNOWN);
    } else if (strcmp(e->d_name, "nested.txt") == 0) {
      nested++;
    } else {
      other++;
    }
  }
  CHECK_OK(closedir(d));
  CHECK_EQ(dot, 1);
  CHECK_EQ(dotdot, 1);
  CHECK_EQ(nested, 1);
  CHECK_EQ(other, 0);
  return 0;
}
