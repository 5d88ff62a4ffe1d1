/* Never rebuilt. The program keeps pointers to mod.o's players where a
 * reload cannot see them by relocations: in heap blocks (as a game's
 * objects point to their player), one of them into the middle of a
 * player, in a local variable of main, and in a thread-local variable.
 * "hit" scores through each of them; "q TAG" answers whether each still
 * points at the player mod.o now uses, and each player's score. With
 * -DPOLL, reloads run in main's thread, at hotld_poll(). */
#ifdef POLL
#include <hotld.h>
#define RT_POLLING
#endif
#include "rt.h"

#define NPLAYERS 3

struct player;
struct player *player_at(int i);
int *player_score_at(int i);
void player_hit(struct player *p);
int player_score(int i);

struct thing {
    struct player *player;
    int *score;
    long id;
};

static struct thing *things[NPLAYERS];
static struct player *const volatile *on_stack;
static __thread struct player *tls_player;

static void answer(const char *tag)
{
    for (int i = 0; i < NPLAYERS; i++)
        printf("%s heap-%d %d\n", tag, i, things[i]->player == player_at(i));
    printf("%s inside %d\n", tag, things[1]->score == player_score_at(1));
    printf("%s stack %d\n", tag, *on_stack == player_at(2));
    printf("%s tls %d\n", tag, tls_player == player_at(0));
    for (int i = 0; i < NPLAYERS; i++)
        printf("%s score-%d %d\n", tag, i, player_score(i));
}

static void other(const char *line)
{
    if (strcmp(line, "hit"))
        return;
    for (int i = 0; i < NPLAYERS; i++)
        player_hit(things[i]->player);
    *things[1]->score += 10;
    player_hit(*on_stack);
    player_hit(tls_player);
}

int main(void)
{
    struct player *const volatile mine = player_at(2);
    on_stack = &mine;
    tls_player = player_at(0);
    for (int i = 0; i < NPLAYERS; i++) {
        things[i] = malloc(sizeof *things[i]);
        *things[i] = (struct thing){player_at(i), player_score_at(i), i};
    }
#ifdef POLL
    return serve_queries_polling(answer, other, hotld_poll);
#else
    return serve_queries(answer, other);
#endif
}
