// Counts lines, words and bytes of each file named on the command line (or of stdin), like wc.
// With typed arguments the files need not be in any folder the program can see:
//   iotypes run examples/wc.wasm @in:/some/file.txt
#include <ctype.h>
#include <stdio.h>

static int count(FILE *f, const char *name) {
  long long lines = 0, words = 0, bytes = 0;
  int c, in_word = 0;
  while ((c = getc(f)) != EOF) {
    bytes++;
    if (c == '\n') lines++;
    if (isspace(c)) in_word = 0;
    else if (!in_word) in_word = 1, words++;
  }
  if (ferror(f)) {
    perror(name);
    return 1;
  }
  printf("%7lld %7lld %7lld %s\n", lines, words, bytes, name);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) return count(stdin, "");
  int status = 0;
  for (int i = 1; i < argc; i++) {
    FILE *f = fopen(argv[i], "r");
    if (!f) {
      perror(argv[i]);
      status = 1;
      continue;
    }
    status |= count(f, argv[i]);
    fclose(f);
  }
  return status;
}
