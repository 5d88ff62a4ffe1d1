// The reloaded module: bump() counts lines in a thread-local module
// variable (D's default), adds the version's step to a __gshared total,
// and appends the line to a __gshared array the garbage collector owns.
// Built with -fversion=V2 it steps by 10; with V3 it also keeps memory
// reachable only from a variable the reload adds (__gshared: a root the
// collector must be told of), collecting garbage first at each line: what
// the collector frees is taken by new garbage, and "kept" shows it; with
// V4 it adds a thread-local variable, which hotld refuses.
module counter;
import core.memory : GC;
import std.stdio : writefln, stdout;

int count;
__gshared int total;
__gshared string[] seen;

version (V2) enum step = 10;
else version (V3) enum step = 10;
else version (V4) enum step = 10;
else enum step = 1;

version (V3) __gshared int[][] kept;
version (V4) int[][] keptHere;

shared static this() { total = 100; }

void bump(string line)
{
    count++;
    total += step;
    seen ~= line;
    version (V3)
    {
        collect();
        churn();
        kept ~= filled(count);
    }
}

// A collection, from a frame that has zeroed the stack below bump's, so
// that no stale copy of a pointer keeps memory alive: only the roots.
version (V3) void collect()
{
    ubyte[16384] scrub = 0;
    GC.collect();
    scrub[0] = scrub[$ - 1];
}

// Garbage, to take the place of whatever the collection freed.
version (V3) void churn()
{
    foreach (i; 0 .. 20_000)
        (new int[](64))[] = -1;
}

version (V3) int[] filled(int n)
{
    auto a = new int[](64);
    a[] = n;
    return a;
}

void show()
{
    version (V3) writefln("count %d step %d total %d seen %-(%s,%) kept %d", count, step, total, seen, kept[0][63]);
    else writefln("count %d step %d total %d seen %-(%s,%)", count, step, total, seen);
    stdout.flush();
}
