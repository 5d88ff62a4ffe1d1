#include <string.h>
float a[1024], b[1024]; double d[512]; int ia[1024]; char buf[256];
void f(int n) { for (int i = 0; i < n; i++) a[i] = a[i] * b[i] + 3.0f; }
void g(int n) { for (int i = 0; i < n; i++) ia[i] = ia[i] * 7 + (ia[i] >> 3); }
double h(int n) { double s = 0; for (int i = 0; i < n; i++) s += d[i] * d[i]; return s; }
void k(const char *s) { strcpy(buf, s); buf[3] = 'x'; *(short*)(buf+8) = 0x1234; }
