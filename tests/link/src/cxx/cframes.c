/* Plain C in the middle of a C++ call chain. An exception thrown by the
 * callback unwinds through this frame: C objects have .eh_frame unwind
 * tables by default on x86-64. */
int c_apply(int (*callback)(int), int x)
{
    int r = callback(x);
    return r + 1;
}
