// The C++ standard library's containers, which --print shows as values,
// as gdb's libstdc++ printers do.
#include <string>
#include <vector>

std::string greeting = "hello, world";
std::vector<int> primes = {2, 3, 5, 7};
struct named {
    std::string name;
    int n;
};
named seven = {"seven", 7};
std::vector<std::string> words = {"a", "bc"};
