/* getenv returns UTF-8 values byte for byte; prints them with byte lengths. */
#include "common.h"

int main(void) {
  const char *greeting = getenv("GREETING");
  const char *jp = getenv("JAPANESE");
  CHECK(greeting != NULL);
  CHECK(jp != NULL);
  CHECK_EQ(strlen(greeting), 13); /* "h\xc3\xa9llo w\xc3\xb6rld" */
  CHECK(strcmp(greeting, "h\xc3\xa9llo w\xc3\xb6rld") == 0);
  CHECK_EQ(strlen(jp), 9);
  CHECK(strcmp(jp, "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e") == 0);
  printf("GREETING=%s (%zu bytes)\n", greeting, strlen(greeting));
  printf("JAPANESE=%s (%zu bytes)\n", jp, strlen(jp));
  return 0;
}
