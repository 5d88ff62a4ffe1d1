/* Reads, writes and addresses of globals in as many instruction forms as
 * compilers make: what tests/insn/reads.sh classifies. */
#include <stdint.h>
#include <string.h>

int gi, gj;
long gl;
short gs;
signed char gc;
unsigned char guc;
float gf;
double gd;
int garr[64];
struct pair { int a, b; } gp;
volatile int gv;
_Atomic int ga;
int *volatile gptr;
double gvec[4] __attribute__((aligned(32)));

int loads(void) { return gi + gj + (int)gl + gs + gc + guc; }
double float_loads(void) { return gf * 2.0 + gd + gvec[1]; }
void stores(int x) { gi = x; gl = x; gs = (short)x; gc = (signed char)x; gf = (float)x; gd = x; gp.b = x; }
void rmw(void) { gi++; gj += 3; gl ^= 5; gs--; garr[3] |= 8; gv += 1; ga += 2; }
int *address(void) { return &gi; }
int *element(int i) { return &garr[i]; }
int compare(int x) { return gi == x ? 1 : gl < x ? 2 : gd > x ? 3 : gf < 1.0f ? 4 : 0; }
void copy(void) { memcpy(&gp, &garr[4], sizeof gp); gptr = &gj; }
int bits(void) { return (gi >> 3) & (guc << 1) & ~gj; }
long mul(long x) { return gl * x + gi * 7; }
int through(void) { return *gptr + gv; }
void swap(void) { int t = gi; gi = gj; gj = t; }
double vec(void) { double s = 0; for (int i = 0; i < 4; i++) { gvec[i] *= 2; s += gvec[i]; } return s; }
