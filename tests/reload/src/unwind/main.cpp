// Unwinding through reloaded code: each "run" line calls work(), which
// takes a backtrace() and throws; main catches and prints what it got.
#include <cstdio>
#include <cstring>
#include <stdexcept>

int work(int depth);

int main()
{
    char line[64];
    setvbuf(stdout, nullptr, _IOLBF, 0);
    puts("ready");
    while (fgets(line, sizeof line, stdin) && strcmp(line, "quit\n") != 0) {
        try {
            printf("returned %d\n", work(3));
        } catch (const std::exception &e) {
            printf("caught %s\n", e.what());
        }
    }
    return 0;
}
