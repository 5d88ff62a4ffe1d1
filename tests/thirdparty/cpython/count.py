# Reads lines from stdin (a FIFO) and answers each with a counter kept in
# the loop, abs() of it (builtin_abs of Python/bltinmodule.c, the function
# a hot reload changes) and the line's length.
import sys

n = 0
for line in sys.stdin:
    n += 1
    print(n, abs(n), len(line.rstrip("\n")), flush=True)
print("done", n, flush=True)
