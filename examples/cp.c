// Copies one file to another: cp SOURCE DEST. With typed arguments neither file need be in a
// folder the program can see:  iotypes run examples/cp.wasm @in:a.txt @out:b.txt
#include <stdio.h>

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: cp SOURCE DEST\n");
    return 2;
  }
  FILE *in = fopen(argv[1], "rb");
  if (!in) {
    perror(argv[1]);
    return 1;
  }
  FILE *out = fopen(argv[2], "wb");
  if (!out) {
    perror(argv[2]);
    return 1;
  }
  static char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, in)) > 0) {
    if (fwrite(buf, 1, n, out) != n) {
      perror(argv[2]);
      return 1;
    }
  }
  if (ferror(in) || fclose(out) != 0) {
    perror("cp");
    return 1;
  }
  fclose(in);
  return 0;
}
