/* The reloaded object. Version 2 changes the types of its variables the
 * ways a game's code evolves, with -g so that hotld sees the types:
 *   players  each element gains a field in front (everything moves) and
 *            one in the middle (with an initializer): migrated by field
 *   pair     fields swapped, same size: migrated by name, not kept as bytes
 *   rounds   int to long long: widened
 *   ratio    float to double
 *   small    int to short, and its value fits: migrated
 *   narrowed int to short, and its value does not fit: the policy decides
 *   stats    loses a field that holds data: the policy decides
 *   bits     int to float, the same size: incompatible, but the policy
 *            may keep its bytes (0x40490fdb is 3.14159 as a float);
 *            unchanged with -DBITS_UNCHANGED
 *   legacy   an array becomes a struct: incompatible, but version 2 has
 *            hotld_migrate_legacy, which sums the old elements
 *   total    unchanged: kept
 *   board    unchanged, a 2-D array: kept (every element)
 *   leader, score_ptr, players[0].rival
 *            pointers into players: they follow it to its new storage
 *   moods    an array of an enum renumbered: each value follows its name
 *   flags    bit-fields: one added in front, one widened, one moved
 *            (gcc says where with DW_AT_data_bit_offset, clang with
 *            DW_AT_bit_offset)
 *   count    function statics of that name in play() and score_round(); version
 *            2 adds a third in a function before them, so gcc's count.N
 *            numbers shift: each must stay itself (DWARF scope keys)
 * "q TAG" answers: pN NAME SCORE LEVEL HP (-1 before version 2), then
 * pair A B, the scalars rounds ratio small narrowed total, legacy (its
 * sum), stats hits, board, and the version. */
#include "rt.h"

struct player {
#if VER >= 2
    int id;
#endif
    char name[8];
    struct player *rival;
    int score;
#if VER >= 2
    long hp;
#endif
    short level;
};

struct pair {
#if VER >= 2
    int b, a;
#else
    int a, b;
#endif
};

#if VER >= 2
#define PLAYER(n) {.name = n, .hp = 100}
#else
#define PLAYER(n) {.name = n}
#endif
struct player players[3] = {PLAYER("ann"), PLAYER("bob"), PLAYER("cid")};
struct player *leader = &players[1];
int *score_ptr = &players[2].score;
struct pair pair = {.a = 1, .b = 2};
long board[2][3] = {{1, 2, 3}, {4, 5, 6}};
#if VER >= 2 && !defined(BITS_UNCHANGED)
float bits;
#else
int bits = 0x40490fdb;
#endif
#if VER >= 2
enum mood { HAPPY, CALM, ANGRY };
#else
enum mood { CALM, ANGRY };
#endif
enum mood moods[3] = {CALM, ANGRY, CALM};
struct flags {
#if VER >= 2
    unsigned ready : 1;
    unsigned level : 6;
    int shield : 5;
#else
    int shield : 5;
    unsigned level : 4;
#endif
} flags = {.shield = -3, .level = 9};
#if VER >= 2
struct stats { int hits; int crits; } stats = {0, 5};
#else
struct stats { int hits; long misses; } stats;
#endif
static long total;
#if VER >= 2
long long rounds;
double ratio = 0.5;
short small, narrowed;
struct { int sum; } legacy;

void hotld_migrate_legacy(const void *old, void *new);
void hotld_migrate_legacy(const void *old, void *new)
{
    const int *was = old;
    legacy.sum = -1; /* the new storage, as new points to */
    ((struct { int sum; } *)new)->sum = was[0] + was[1];
}
#else
int rounds;
float ratio = 0.5f;
int small = 7, narrowed = 70000;
int legacy[2] = {30, 12};
#endif

#if VER >= 2
RELOADABLE int bonus(void)
{
    static int count = 500;
    return count++;
}
#endif

static int *play_count, *round_count; /* the two counts, for show() */

RELOADABLE static void score_round(void)
{
    static int count;
    count += 10;
    round_count = &count;
}

RELOADABLE void play(void)
{
    static int count;
    count++;
    play_count = &count;
    score_round();
    players[0].rival = &players[2];
    for (int i = 0; i < 3; i++) {
        players[i].score += i + 1;
        players[i].level++;
        total += i;
    }
    pair.a += 10;
    pair.b += 20;
    board[0][0]++;
    board[1][2] += 10;
    rounds++;
    ratio *= 2;
    small++;
    narrowed++;
    stats.hits++;
    flags.level++;
#if VER < 2
    stats.misses += 2;
#endif
}

RELOADABLE void show(const char *tag)
{
    printf("%s counts %d %d\n", tag, play_count ? *play_count : -1, round_count ? *round_count : -1);
    for (int i = 0; i < 3; i++) {
#if VER >= 2
        long hp = players[i].hp;
#else
        long hp = -1;
#endif
        printf("%s p%d %s %d %d %ld\n", tag, i, players[i].name, players[i].score, players[i].level, hp);
    }
    printf("%s pair %d %d\n", tag, pair.a, pair.b);
    printf("%s scalars %lld %g %d %d %ld\n", tag, (long long)rounds, (double)ratio, (int)small, (int)narrowed,
           total);
#if VER >= 2
    printf("%s legacy %d\n", tag, legacy.sum);
#else
    printf("%s legacy %d\n", tag, legacy[0] + legacy[1]);
#endif
    printf("%s hits %d\n", tag, stats.hits);
#if VER >= 2 && !defined(BITS_UNCHANGED)
    printf("%s bits %.5f\n", tag, bits);
#else
    printf("%s bits %x\n", tag, bits);
#endif
    printf("%s moods %d %d %d\n", tag, moods[0] == CALM, moods[1] == ANGRY, moods[2] == CALM);
#if VER >= 2
    printf("%s flags %d %u %u\n", tag, flags.shield, flags.level, flags.ready);
#else
    printf("%s flags %d %u -1\n", tag, flags.shield, flags.level);
#endif
    printf("%s pointers %s %d %s\n", tag, leader->name, *score_ptr,
           players[0].rival ? players[0].rival->name : "none");
    printf("%s board %ld %ld %ld\n", tag, board[0][0], board[0][1], board[1][2]);
    printf("%s version %d\n", tag, opaque_int(VER));
}

