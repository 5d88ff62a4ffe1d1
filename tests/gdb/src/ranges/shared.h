// An inline function (a COMDAT group) emitted by a.cpp and b.cpp: b.o's
// copy is dropped, and its range list still names it.
inline int twice(int x) { return 2 * x; }
