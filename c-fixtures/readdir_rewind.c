/* rewinddir restarts the listing: the second pass sees the same entries. */
#include <dirent.h>

#include "common.h"

static int count_entries(DIR *d, int *names) {
  int n = 0;
  struct dirent *e;
  *names = 0;
  while ((e = readdir(d)) != NULL) {
    n++;
    if (strcmp(e->d_name, "hello.txt") == 0)
      *names |= 1;
    else if (strcmp(e->d_name, "subdir") == 0)
      *names |= 2;
    else if (strcmp(e->d_name, "extra.txt") == 0)
      *names |= 4;
  }
  return n;
}

int main(void) {
  put_file(FS "/extra.txt", "x");
  DIR *d = opendir(FS);
  CHECK(d != NULL);
  int names1, names2;
  int first = count_entries(d, &names1);
  CHECK_EQ(names1, 7);
  CHECK(readdir(d) == NULL); /* stays at the end */
  rewinddir(d);
  int second = count_entries(d, &names2);
  CHECK_EQ(names2, 7);
  CHECK_EQ(first, second);
  CHECK_OK(closedir(d));
  return 0;
}
