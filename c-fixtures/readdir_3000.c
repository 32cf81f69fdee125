/* readdir over a directory of 3000 files returns each file exactly once
 * (and "." / ".." at most once). */
#include <dirent.h>

#include "common.h"

#define COUNT 3000

int main(void) {
  static unsigned char seen[COUNT];
  char path[64];
  CHECK_OK(mkdir(FS "/many", 0755));
  for (int i = 0; i < COUNT; i++) {
    snprintf(path, sizeof path, FS "/many/file-%04d", i);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    CHECK(fd >= 0);
    CHECK_OK(close(fd));
  }

  DIR *d = opendir(FS "/many");
  CHECK(d != NULL);
  int dot = 0, dotdot = 0, files = 0;
  struct dirent *e;
  errno = 0;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0) {
      dot++;
    } else if (strcmp(e->d_name, "..") == 0) {
      dotdot++;
    } else {
      int n = -1;
      char extra;
      CHECK(sscanf(e->d_name, "file-%d%c", &n, &extra) == 1);
      CHECK(n >= 0 && n < COUNT);
      CHECK_EQ(strlen(e->d_name), 9);
      CHECK_EQ(seen[n], 0);
      CHECK(e->d_type == DT_REG || e->d_type == DT_UNKNOWN);
      seen[n] = 1;
      files++;
    }
    errno = 0;
  }
  CHECK_EQ(errno, 0);
  CHECK_EQ(files, COUNT);
  CHECK(dot <= 1);
  CHECK(dotdot <= 1);
  CHECK_OK(closedir(d));
  return 0;
}
