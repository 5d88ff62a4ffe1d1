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

// Returned in memory (the psABI's hidden first argument): --call shows them.
std::string make_label(int n) { return "label" + std::to_string(n); }
std::vector<int> first_primes(int n) { return std::vector<int>(primes.begin(), primes.begin() + n); }
