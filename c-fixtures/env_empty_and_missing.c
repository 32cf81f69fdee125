/* An empty value is present (not NULL), an unset name gives NULL, and a value
 * may itself contain '='. */
#include "common.h"

int main(void) {
  const char *empty = getenv("EMPTY");
  CHECK(empty != NULL);
  CHECK(strcmp(empty, "") == 0);
  CHECK(getenv("NOT_SET_ANYWHERE") == NULL);
  const char *eq = getenv("EQUALS");
  CHECK(eq != NULL);
  CHECK(strcmp(eq, "a=b=c") == 0);
  return 0;
}
