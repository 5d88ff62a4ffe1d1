/* State that C++ keeps in COMDAT groups, one copy per program: a static
 * inside an inline function (a singleton's way), an inline variable, a
 * class template's static member; and a weak definition, as C has them.
 * Every object that includes this emits its own copy, and the link keeps
 * the first object's. */
#include "rt.h"

inline int &counter()
{
    static int c = 0;
    return c;
}

inline int total = 0;

template <class T> struct Registry {
    static int entries;
};
template <class T> int Registry<T>::entries = 5;

__attribute__((weak)) int weak_level = 7;

int bump();
