// A conversation on a terminal: reads a line at a time from stdin and answers it, until "quit"
// or the end of input (Ctrl-D). A name gets a greeting; "6 * 7" gets 42. Every exchange is also
// appended to history.txt in the current folder, when there is one the program may write in.
//   iotypes run --dir .::/ examples/prompt.wasm        (or in a page: npm run example:web)
#include <stdio.h>
#include <string.h>

/* The answer to `line` in `out`. */
static void answer(const char *line, char *out, size_t size) {
  long long a, b;
  char op, rest;
  if (sscanf(line, "%lld %c %lld %c", &a, &op, &b, &rest) == 3) {
    switch (op) {
      case '+': snprintf(out, size, "%lld %c %lld = %lld", a, op, b, a + b); return;
      case '-': snprintf(out, size, "%lld %c %lld = %lld", a, op, b, a - b); return;
      case '*': snprintf(out, size, "%lld %c %lld = %lld", a, op, b, a * b); return;
      case '/':
        if (b == 0) snprintf(out, size, "%lld / 0: division by zero", a);
        else snprintf(out, size, "%lld / %lld = %lld", a, b, a / b);
        return;
    }
  }
  if (line[0] == '\0') snprintf(out, size, "(nothing typed)");
  else snprintf(out, size, "hello, %s", line);
}

int main(void) {
  char line[256], reply[320];
  FILE *history = fopen("history.txt", "a");
  if (!history) perror("history.txt (not kept)");
  printf("Type your name, or a sum such as 6 * 7. \"quit\" or Ctrl-D ends.\n");
  for (;;) {
    printf("> ");
    fflush(stdout);
    if (!fgets(line, sizeof line, stdin)) {
      printf("\n(end of input)\n");
      break;
    }
    line[strcspn(line, "\r\n")] = '\0';
    if (strcmp(line, "quit") == 0) break;
    answer(line, reply, sizeof reply);
    printf("%s\n", reply);
    if (history) {
      fprintf(history, "> %s\n%s\n", line, reply);
      fflush(history);
    }
  }
  printf("bye\n");
  if (history) fclose(history);
  return 0;
}
