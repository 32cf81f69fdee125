/* Opening a missing file fails with ENOENT, and so does O_CREAT inside a
 * missing directory. */
#include "common.h"

int main(void) {
  CHECK_ERRNO(open(FS "/missing.txt", O_RDONLY), ENOENT);
  CHECK_ERRNO(open(FS "/missing.txt", O_RDWR), ENOENT);
  CHECK_ERRNO(open(FS "/no-such-dir/file.txt", O_WRONLY | O_CREAT, 0644),
              ENOENT);
  CHECK_ERRNO(access(FS "/missing.txt", F_OK), ENOENT);
  return 0;
}
