/* The reloaded object: version 2 reorders the player's fields and adds
 * two, so players migrates to new storage. */
#include "rt.h"

#if VER == 1
struct player {
    int hp;
    int score;
};
#else
struct player {
    long armor;
    int hp;
    char name[12];
    int score;
};
#endif

struct player players[3];

RELOADABLE struct player *player_at(int i)
{
    return &players[i];
}

RELOADABLE int *player_score_at(int i)
{
    return &players[i].score;
}

RELOADABLE void player_hit(struct player *p)
{
    p->score++;
}

RELOADABLE int player_score(int i)
{
    return players[i].score;
}
