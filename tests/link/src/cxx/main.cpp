#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>
#include <memory>
#include <map>
struct Base { virtual ~Base() {} virtual std::string name() const = 0; };
struct D : Base { std::string name() const override { return "derived"; } };
static int thrower(int x) { if (x > 2) throw std::runtime_error("too big: " + std::to_string(x)); return x; }
std::map<std::string, int> table = {{"a", 1}, {"b", 2}};
double square_area(double side);
void run_threads();
int main(int argc, char **argv) {
    if (argc > 1 && std::string(argv[1]) == "uncaught") throw std::logic_error("nobody catches this");
    std::cout << square_area(3) << std::endl;
    try { square_area(-1); } catch (const std::invalid_argument &e) { std::cout << "across objects: " << e.what() << std::endl; }
    std::vector<std::unique_ptr<Base>> v; v.emplace_back(new D);
    std::cout << v[0]->name() << " " << table["b"] << std::endl;
    try { thrower(5); } catch (const std::exception &e) { std::cout << "caught " << e.what() << std::endl; }
    Base *b = v[0].get(); std::cout << (dynamic_cast<D*>(b) ? "cast ok" : "cast bad") << std::endl;
    run_threads();
    return 3;
}
