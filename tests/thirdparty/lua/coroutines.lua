-- Closures, upvalues, varargs, recursion and coroutines.
local function counter(start)
  local n = start
  return function(step) n = n + (step or 1); return n end, function() return n end
end
local inc, get = counter(10)
inc(); inc(5)
print(get(), inc(-20))
local fns = {}
for i = 1, 5 do fns[i] = function() return i * 10 end end
local shared = 0
local function adder() shared = shared + 1; return shared end
print(fns[1](), fns[5](), adder(), adder(), shared)
local function curry(f, n, ...)
  local args = table.pack(...)
  if args.n >= n then return f(table.unpack(args, 1, args.n)) end
  return function(...) 
    local more = table.pack(...)
    local all = {table.unpack(args, 1, args.n)}
    for i = 1, more.n do all[args.n + i] = more[i] end
    return curry(f, n, table.unpack(all, 1, args.n + more.n))
  end
end
print(curry(function(a, b, c) return a + b * c end, 3)(1)(2)(3))
local function va(...) return select("#", ...), select(2, ...) end
print(va(1, nil, 3, nil))
print(select(-1, "a", "b", "c"), pcall(select, 0, 1))
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print(fib(25))
local function tail(n, acc) if n == 0 then return acc end return tail(n - 1, acc + n) end
print(tail(1000000, 0))
local function deep(n) if n == 0 then return 0 end return 1 + deep(n - 1) end
print(deep(10000))
print(select(2, pcall(function() local function f() return f() + 1 end return f() end)):match("stack overflow"))

-- generators
local function range(n)
  return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end)
end
local acc = {}
for v in range(6) do acc[#acc + 1] = v end
print(table.concat(acc, " "))
local function permgen(a, n)
  n = n or #a
  if n <= 1 then coroutine.yield(a) else
    for i = 1, n do
      a[n], a[i] = a[i], a[n]
      permgen(a, n - 1)
      a[n], a[i] = a[i], a[n]
    end
  end
end
local perms = {}
for p in coroutine.wrap(function() permgen({"a", "b", "c", "d"}) end) do perms[#perms + 1] = table.concat(p) end
print(#perms, table.concat(perms, " "))
-- passing values in and out
local co = coroutine.create(function(a, b)
  print("start", a, b)
  local c = coroutine.yield(a + b)
  print("got", c)
  local d, e = coroutine.yield(c * 2)
  print("got", d, e)
  return "done", a + b + c + d + e
end)
print(coroutine.status(co), coroutine.resume(co, 1, 2))
print(coroutine.status(co), coroutine.resume(co, 10))
print(coroutine.resume(co, 100, 1000))
print(coroutine.status(co), coroutine.resume(co))
print(coroutine.isyieldable(), type(coroutine.running()), select(2, coroutine.running()))
-- errors inside coroutines
local bad = coroutine.create(function() local x = nil; coroutine.yield(1); return x.field end)
print(coroutine.resume(bad))
print(coroutine.resume(bad))
print(coroutine.status(bad), coroutine.close(bad))
local w = coroutine.wrap(function() error({code = 42}) end)
local ok, e = pcall(w)
print(ok, type(e), e.code)
-- yield across pcall, nested coroutines
local outer = coroutine.wrap(function()
  local ok2, v = pcall(function()
    coroutine.yield("from inside pcall")
    error("after yield")
  end)
  coroutine.yield(tostring(ok2) .. " " .. v)
  local inner = coroutine.wrap(function() coroutine.yield("inner1"); coroutine.yield("inner2") end)
  coroutine.yield(inner() .. "+" .. inner())
  return "outer end"
end)
print(outer()); print(outer()); print(outer()); print(outer())
print(pcall(outer))
-- to-be-closed variables inside a coroutine closed early
local log = {}
local cc = coroutine.create(function()
  local res <close> = setmetatable({}, {__close = function(_, err) log[#log + 1] = "closed:" .. tostring(err) end})
  coroutine.yield("open")
  log[#log + 1] = "not reached"
end)
print(coroutine.resume(cc))
print(coroutine.close(cc), coroutine.status(cc), table.concat(log, ","))
-- producer/consumer with many switches
local prod = coroutine.create(function()
  for i = 1, 50000 do coroutine.yield(i % 7) end
  return -1
end)
local total, switches = 0, 0
while true do
  local _, v = coroutine.resume(prod)
  if v == -1 then break end
  total = total + v; switches = switches + 1
end
print(total, switches, coroutine.status(prod))
print(coroutine.resume(prod))
print(pcall(coroutine.resume, nil))
print(coroutine.resume(coroutine.running()))
