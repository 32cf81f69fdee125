/* symlink() with an absolute target is refused when the link would be
 * created (EPERM, as wasmtime and uvwasi do), not only when it is followed,
 * and nothing is left behind. Relative targets, also dangling ones and ones
 * with ".." inside, are still created. (wasi-testsuite: symlink_create.) */
#include "common.h"

static void refused(const char *target, const char *link) {
  CHECK_ERRNO(symlink(target, link), EPERM);
  struct stat st;
  CHECK_ERRNO(lstat(link, &st), ENOENT);
}

int main(void) {
  refused("/", FS "/root_link");
  refused("/etc", FS "/etc_link");
  refused("/etc/passwd", FS "/subdir/passwd_link");
  refused("//double", FS "/double_link");

  /* relative targets are fine */
  CHECK_OK(symlink("hello.txt", FS "/rel_link"));
  CHECK_OK(symlink("no/such/target", FS "/dangling_link"));
  CHECK_OK(symlink("../hello.txt", FS "/subdir/up_link"));
  char buf[64];
  ssize_t n = readlink(FS "/rel_link", buf, sizeof buf);
  CHECK_EQ(n, 9);
  CHECK(memcmp(buf, "hello.txt", 9) == 0);
  check_file(FS "/subdir/up_link", HELLO_TEXT);
  return 0;
}
