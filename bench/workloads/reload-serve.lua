-- bench/workloads/reload-serve.lua: the long-running Lua program of
-- bench/reload.sh. It prints "ready", then answers each line read from
-- stdin with one line, until end of input or "quit":
--   check      "check RESULT": a short deterministic workload (parser, VM,
--              tables, strings, closures, coroutines), to compare a
--              reloaded session's behaviour with the gcc-linked program's
--   bench N    "bench SECONDS RESULT": CPU-bound work (recursive calls,
--              numeric loops, table and string operations, mostly in the VM:
--              lvm.o), repeated N times, timed with os.clock()
-- Anything else is answered with "unknown LINE".

local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end

local function loops(n)
  local s, t = 0, {}
  for i = 1, n do
    s = (s + i * 7 + (i % 13)) % 1000003
    t[i % 512 + 1] = s
  end
  local u = 0
  for i = 1, #t do u = u + t[i] end
  return s + u
end

local function strings(n)
  local parts = {}
  for i = 1, n do
    parts[#parts + 1] = string.format("%d:%x", i, i * 31)
  end
  local s = table.concat(parts, ",")
  local c = 0
  for w in s:gmatch("[^,]+") do c = c + #w end
  return c + #s:upper():gsub("A", "a")
end

local function sorting(n)
  local t = {}
  local x = 12345
  for i = 1, n do x = (x * 1103515245 + 12345) % 2147483648; t[i] = x end
  table.sort(t)
  return t[1] + t[n // 2] + t[n]
end

local function work(scale)
  local r = fib(18 + scale)
  r = r + loops(200000 * scale)
  r = r + strings(20000 * scale)
  r = r + sorting(20000 * scale)
  return r
end

local function check()
  local words = {}
  for w in ("the quick brown fox jumps over the lazy dog"):gmatch("%a+") do
    words[#words + 1] = w:upper()
  end
  table.sort(words)
  local gen = coroutine.wrap(function() for i = 1, 5 do coroutine.yield(i * i) end end)
  local sq = {}
  for _ = 1, 5 do sq[#sq + 1] = gen() end
  local f = load("local a, b = ... return a * b + #tostring(a)")
  local mt = setmetatable({}, {__index = function(_, k) return k * 2 end})
  return string.format("%s %s %d %d %d %.3f", table.concat(words, ","), table.concat(sq, " "),
                       f(6, 7), mt[21], work(1), math.pi)
end

io.write("ready\n")
io.flush()
for line in io.lines() do
  if line == "quit" then break end
  local n = line:match("^bench (%d+)$")
  if line == "check" then
    io.write("check ", check(), "\n")
  elseif n then
    local t0 = os.clock()
    local r = 0
    for _ = 1, tonumber(n) do r = r + work(8) end
    io.write(string.format("bench %.6f %d\n", os.clock() - t0, r))
  else
    io.write("unknown ", line, "\n")
  end
  io.flush()
end
