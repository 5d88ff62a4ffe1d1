-- bench/workloads/lua-script.lua: a short script for the Lua workload of
-- bench/load.sh. It touches the parser, the VM, tables, strings, closures,
-- coroutines and string.format, and prints a deterministic result.
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end

local words = {}
for w in ("the quick brown fox jumps over the lazy dog"):gmatch("%a+") do
  words[#words + 1] = w:upper()
end
table.sort(words)

local counts = {}
for i = 1, 2000 do
  local k = string.format("k%d", i % 37)
  counts[k] = (counts[k] or 0) + i
end
local total = 0
for _, v in pairs(counts) do total = total + v end

local gen = coroutine.wrap(function()
  for i = 1, 5 do coroutine.yield(i * i) end
end)
local squares = {}
for _ = 1, 5 do squares[#squares + 1] = gen() end

print(_VERSION, "fib(20)=" .. fib(20))
print(table.concat(words, ","))
print("total=" .. total, "squares=" .. table.concat(squares, " "))
print(string.format("%.3f %x %q", math.pi, 48879, "hotld"))
