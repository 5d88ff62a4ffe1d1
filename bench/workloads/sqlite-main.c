/* bench/workloads/sqlite-main.c: a few SQL statements on an in-memory
 * database, for the "one large object" workload of bench/load.sh. */
#include <stdio.h>
#include "sqlite3.h"

static int print_row(void *unused, int n, char **vals, char **names)
{
    (void)unused;
    (void)names;
    for (int i = 0; i < n; i++)
        printf("%s%s", i ? "|" : "", vals[i] ? vals[i] : "NULL");
    putchar('\n');
    return 0;
}

static const char *const sql[] = {
    "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, grp INT, val REAL)",
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000)"
    " INSERT INTO t(name, grp, val) SELECT printf('row%04d', x), x % 7, x * 0.5 FROM c",
    "CREATE INDEX t_grp ON t(grp)",
    "SELECT grp, count(*), sum(val), min(name), max(name) FROM t GROUP BY grp ORDER BY grp",
    "SELECT name, val FROM t WHERE grp = 3 ORDER BY val DESC LIMIT 3",
    "SELECT json_object('n', count(*), 'avg', avg(val)) FROM t WHERE name LIKE 'row1%'",
    "CREATE VIRTUAL TABLE docs USING fts5(body)",
    "INSERT INTO docs VALUES ('the quick brown fox'), ('jumps over the lazy dog'),"
    " ('hot linking and loading')",
    "SELECT rowid, body FROM docs WHERE docs MATCH 'lazy OR loading' ORDER BY rowid",
    "SELECT sqlite_version() IS NOT NULL, upper('done')",
};

int main(void)
{
    sqlite3 *db;
    char *err = NULL;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
        fprintf(stderr, "sqlite3_open: %s\n", sqlite3_errmsg(db));
        return 1;
    }
    for (unsigned i = 0; i < sizeof sql / sizeof sql[0]; i++) {
        if (sqlite3_exec(db, sql[i], print_row, NULL, &err) != SQLITE_OK) {
            fprintf(stderr, "SQL error in statement %u: %s\n", i, err);
            sqlite3_free(err);
            sqlite3_close(db);
            return 1;
        }
    }
    sqlite3_close(db);
    return 0;
}
