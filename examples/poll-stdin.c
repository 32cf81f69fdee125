// Waits for typed input with poll(): each second without any it prints "waiting...", and each
// line that arrives is echoed back; ends at "quit" or the end of input. Over an asynchronous
// stdin (a page's terminal) the wait suspends the program until a key is typed or the second is up.
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
  char buf[256];
  printf("Type something (poll waits one second at a time). \"quit\" or Ctrl-D ends.\n");
  fflush(stdout);
  for (;;) {
    struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};
    int n = poll(&p, 1, 1000);
    if (n < 0) {
      perror("poll");
      return 1;
    }
    if (n == 0) {
      printf("waiting...\n");
      fflush(stdout);
      continue;
    }
    ssize_t got = read(STDIN_FILENO, buf, sizeof buf - 1);
    if (got < 0) {
      perror("read");
      return 1;
    }
    if (got == 0) {
      printf("(end of input)\n");
      return 0;
    }
    buf[got] = '\0';
    buf[strcspn(buf, "\r\n")] = '\0';
    printf("poll: ready; read %d bytes: %s\n", (int)got, buf);
    fflush(stdout);
    if (strcmp(buf, "quit") == 0) return 0;
  }
}
