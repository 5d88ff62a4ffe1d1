/* Linked with greeting.c into one object (ld -r), built with full -g
 * while greeting.c has -g1: its variable's type is read, greetings' is
 * not. */
struct tally {
    int said;
} tally;

void count_greeting(void)
{
    tally.said++;
}
