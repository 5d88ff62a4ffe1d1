/* Added to the program by a reload: its constructors must run. With
 * CRASH, one crashes. */
#include <string>

static std::string text = "extra, constructed";
#ifdef CRASH
static int *volatile nowhere;
static int broken = *nowhere;

extern "C" int broken_value()
{
    return broken;
}
#endif

extern "C" const char *extra()
{
    return text.c_str();
}
