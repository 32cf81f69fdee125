/* argv carries UTF-8 arguments byte for byte; prints each with its byte
 * length. */
#include "common.h"

int main(int argc, char **argv) {
  CHECK_EQ(argc, 4);
  CHECK(argv[0] != NULL);
  CHECK(argv[4] == NULL);
  CHECK_EQ(strlen(argv[1]), 6); /* "h\xc3\xa9llo" */
  CHECK(memcmp(argv[1], "h\xc3\xa9llo", 6) == 0);
  CHECK_EQ(strlen(argv[2]), 9); /* three 3-byte code points */
  CHECK(memcmp(argv[2], "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 9) == 0);
  CHECK_EQ(strlen(argv[3]), 5);
  CHECK(strcmp(argv[3], "plain") == 0);
  for (int i = 1; i < argc; i++)
    printf("%s %zu\n", argv[i], strlen(argv[i]));
  return 0;
}
