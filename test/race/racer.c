// Two guests on one folder, racing to lead each other outside it. Usage, in the preopen "box":
//   racer swap SECONDS OUTSIDE   with box/lnk -> OUTSIDE (a host folder outside the box; the host
//                                plants the link), loop: rename d d_real; rename lnk d;
//                                rename d lnk; rename d_real d
//   racer use SECONDS            loop through box/d: create d/n<i> (O_CREAT|O_EXCL) and write it
//                                (and leave it, so that one created outside shows),
//                                read d/secret, overwrite d/victim, unlink d/doomed, move d/prize
//                                to box/, list d
// Each mode prints what it did on stdout ("use": how many operations succeeded of each kind). A
// sandbox holds if, whatever the timing, OUTSIDE is never changed and nothing of it is read.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int swap(double seconds, const char *outside) {
  /* box/lnk -> OUTSIDE is planted by the host; a guest may not make an absolute link */
  if (symlink(outside, "box/lnk") != 0 && errno != EEXIST && errno != EPERM) return perror("symlink"), 1;
  char target[4096];
  ssize_t n = readlink("box/lnk", target, sizeof target);
  if (n != (ssize_t)strlen(outside) || memcmp(target, outside, (size_t)n) != 0) {
    return fprintf(stderr, "box/lnk does not lead to OUTSIDE\n"), 1;
  }
  long rounds = 0;
  double end = now() + seconds;
  while (now() < end) {
    rename("box/d", "box/d_real");
    rename("box/lnk", "box/d");
    rename("box/d", "box/lnk");
    rename("box/d_real", "box/d");
    rounds++;
  }
  printf("swap rounds %ld\n", rounds);
  return 0;
}

static int use(double seconds) {
  long created = 0, reads = 0, writes = 0, unlinks = 0, moves = 0, lists = 0, tries = 0;
  char path[64], buf[64];
  double end = now() + seconds;
  for (long i = 0; now() < end; i++) {
    tries++;
    snprintf(path, sizeof path, "box/d/n%ld", i);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd >= 0) {
      created++;
      write(fd, "x", 1);
      close(fd);
    }
    fd = open("box/d/secret", O_RDONLY);
    if (fd >= 0) {
      ssize_t n = read(fd, buf, sizeof buf - 1);
      if (n > 0) {
        buf[n] = 0;
        if (strstr(buf, "outside")) reads++;
      }
      close(fd);
    }
    fd = open("box/d/victim", O_WRONLY);
    if (fd >= 0) {
      if (write(fd, "pwned", 5) == 5) writes++;
      close(fd);
    }
    if (unlink("box/d/doomed") == 0) unlinks++;
    if (rename("box/d/prize", "box/prize") == 0) {
      moves++;
      rename("box/prize", "box/d/prize");
    }
    DIR *dir = opendir("box/d");
    if (dir) {
      struct dirent *e;
      while ((e = readdir(dir)) != NULL) {
        if (strcmp(e->d_name, "outside-marker") == 0) lists++;
      }
      closedir(dir);
    }
  }
  printf("use tries %ld created %ld outside-reads %ld writes %ld unlinks %ld moves %ld outside-lists %ld\n",
         tries, created, reads, writes, unlinks, moves, lists);
  return 0;
}

int main(int argc, char **argv) {
  if (argc >= 4 && strcmp(argv[1], "swap") == 0) return swap(atof(argv[2]), argv[3]);
  if (argc >= 3 && strcmp(argv[1], "use") == 0) return use(atof(argv[2]));
  fprintf(stderr, "usage: racer swap SECONDS OUTSIDE | racer use SECONDS\n");
  return 2;
}
