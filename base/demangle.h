/* C++, Rust and D names as the source spells them, for listings and for
 * looking a symbol up by "ns::f". */
#ifndef HOTLD_DEMANGLE_H
#define HOTLD_DEMANGLE_H

#include <stdbool.h>

/* "_ZN3geo4areaEii" -> "geo::area(int, int)", "_D7counter4bumpFiZv" ->
 * "counter.bump(int)", malloc'd; NULL if symbol is not a mangled name. */
char *demangle(const char *symbol);
/* The name as the source spells it ("Game::players", "title" for a
 * std::string g++ tags "title[abi:cxx11]"), or the symbol itself;
 * malloc'd. */
char *source_name(const char *symbol);
/* Does symbol demangle to name, whatever its parameters ("geo::area"),
 * its ABI tags, its return type and the namespaces before it ("area")?
 * With parameters ("area(int, int)"), they must be those. */
bool demangles_to(const char *symbol, const char *name);

#endif
