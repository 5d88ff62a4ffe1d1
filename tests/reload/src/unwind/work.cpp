// Built as version VER: the exception says which version threw it, and how
// many frames backtrace() found (main's frame is among them only when the
// unwinder knows the reloaded code's .eh_frame).
#include <execinfo.h>
#include <stdexcept>
#include <string>

static int frames_here()
{
    void *frames[64];
    return backtrace(frames, 64);
}

int work(int depth)
{
    if (depth > 0)
        return work(depth - 1) + 1; // not a tail call: the + 1 runs after
    int n = frames_here();
    throw std::runtime_error("v" + std::to_string(VER) + (n >= 6 ? " deep" : " shallow"));
}
