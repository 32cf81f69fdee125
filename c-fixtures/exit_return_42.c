/* Returning 42 from main ends the program with exit code 42. */
int main(void) { return 42; }
