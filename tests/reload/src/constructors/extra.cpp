/* Added to the program by a reload: its constructors must run. */
#include <string>

static std::string text = "extra, constructed";

extern "C" const char *extra()
{
    return text.c_str();
}
