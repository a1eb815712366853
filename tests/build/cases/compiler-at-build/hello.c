#include <stdio.h>
#include <unistd.h>
int main(void) {
    printf("hello from a compiled binary\n");
    fflush(stdout);
    for (;;) sleep(60);
}
