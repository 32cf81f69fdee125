// The guest of the ENOSPC test: writes 2 MiB with a single write(), then 1 byte more, and
// reports both results on stderr as "first N E second N E" (N the return value, E its errno).
//   fill stdout           write to fd 1
//   fill PATH [MODE]      open PATH and write to it; MODE: trunc (default), append, plain
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char buf[2 << 20];

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: fill stdout|PATH [trunc|append|plain]\n");
    return 2;
  }
  int fd = 1;
  if (strcmp(argv[1], "stdout") != 0) {
    const char *mode = argc > 2 ? argv[2] : "trunc";
    int flags = O_WRONLY;
    if (strcmp(mode, "trunc") == 0) flags |= O_CREAT | O_TRUNC;
    else if (strcmp(mode, "append") == 0) flags |= O_CREAT | O_APPEND;
    else if (strcmp(mode, "plain") != 0) {
      fprintf(stderr, "unknown mode %s\n", mode);
      return 2;
    }
    fd = open(argv[1], flags, 0644);
    if (fd < 0) {
      perror("open");
      return 1;
    }
  }
  memset(buf, 'x', sizeof buf);
  errno = 0;
  long first = (long)write(fd, buf, sizeof buf);
  int first_errno = first < 0 ? errno : 0;
  errno = 0;
  long second = (long)write(fd, buf, 1);
  int second_errno = second < 0 ? errno : 0;
  fprintf(stderr, "first %ld %d second %ld %d\n", first, first_errno, second, second_errno);
  return 0;
}
