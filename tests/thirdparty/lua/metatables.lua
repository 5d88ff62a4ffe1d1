-- Metatables and metamethods, to-be-closed variables, finalizers, weak tables.
local V = {}
V.__index = V
local function vec(x, y) return setmetatable({x = x, y = y}, V) end
V.__add = function(a, b) return vec(a.x + b.x, a.y + b.y) end
V.__sub = function(a, b) return vec(a.x - b.x, a.y - b.y) end
V.__mul = function(a, b)
  if type(a) == "number" then return vec(a * b.x, a * b.y) end
  if type(b) == "number" then return vec(a.x * b, a.y * b) end
  return a.x * b.x + a.y * b.y
end
V.__unm = function(a) return vec(-a.x, -a.y) end
V.__eq = function(a, b) return a.x == b.x and a.y == b.y end
V.__lt = function(a, b) return a:len2() < b:len2() end
V.__le = function(a, b) return a:len2() <= b:len2() end
V.__len = function(a) return 2 end
V.__tostring = function(a) return string.format("(%g, %g)", a.x, a.y) end
V.__concat = function(a, b) return tostring(a) .. tostring(b) end
V.__call = function(self, k) return self[k] end
V.__idiv = function(a, n) return vec(a.x // n, a.y // n) end
V.__mod = function(a, n) return vec(a.x % n, a.y % n) end
V.__pow = function(a, n) return vec(a.x ^ n, a.y ^ n) end
V.__div = function(a, n) return vec(a.x / n, a.y / n) end
V.__band = function(a, b) return "band" end
V.__shl = function(a, b) return "shl" end
V.__bnot = function(a) return "bnot" end
V.__name = "Vector"
function V:len2() return self.x * self.x + self.y * self.y end
local a, b = vec(1, 2), vec(3, 4)
print(tostring(a + b), tostring(a - b), a * b, tostring(2 * a), tostring(a * 3), tostring(-a))
print(a == vec(1, 2), a ~= b, a < b, a <= b, a > b, #a, a .. b, a .. "!", "!" .. b)
print(a("x"), a("y"), tostring(b // 2), tostring(b % 3), tostring(a ^ 2), tostring(b / 2))
print(a & b, a << 1, ~a, rawequal(a, vec(1, 2)), getmetatable(a) == V)
-- __index / __newindex chains and functions
local defaults = setmetatable({}, {__index = function(t, k) return "default-" .. k end})
local obj = setmetatable({own = 1}, {__index = defaults})
print(obj.own, obj.missing, rawget(obj, "missing"))
local log = {}
local proxy = setmetatable({}, {
  __index = function(_, k) log[#log + 1] = "get " .. k; return k:upper() end,
  __newindex = function(t, k, v) log[#log + 1] = "set " .. k .. "=" .. tostring(v); rawset(t, "_" .. k, v) end,
})
proxy.a = 1; local _ = proxy.b; proxy.c = proxy.a
print(table.concat(log, "; "), rawget(proxy, "_a"), rawget(proxy, "_c"))
-- inheritance
local Animal = {} Animal.__index = Animal
function Animal.new(name, sound) return setmetatable({name = name, sound = sound}, Animal) end
function Animal:speak() return self.name .. " says " .. self.sound end
local Dog = setmetatable({}, {__index = Animal}) Dog.__index = Dog
function Dog.new(name) local d = Animal.new(name, "woof"); return setmetatable(d, Dog) end
function Dog:fetch() return self.name .. " fetches" end
local d = Dog.new("Rex")
print(d:speak(), d:fetch(), getmetatable(d) == Dog)
-- protected metatable
local locked = setmetatable({}, {__metatable = "locked"})
print(getmetatable(locked), pcall(setmetatable, locked, {}))
print(getmetatable("abc").__index == string, ("x"):rep(3))
-- errors mentioning __name
print(pcall(function() return a + 1 end))
print(pcall(function() return {} < {} end))
print(pcall(function() local t = setmetatable({}, {__name = "MyType"}); return t + 1 end))
-- __close and to-be-closed order
do
  local order = {}
  do
    local x <close> = setmetatable({}, {__close = function() order[#order + 1] = "x" end})
    local y <close> = setmetatable({}, {__close = function() order[#order + 1] = "y" end})
    local z <const> = 5
    order[#order + 1] = "body" .. z
  end
  print(table.concat(order, " "))
  local ok, err = pcall(function()
    local r <close> = setmetatable({}, {__close = function(_, e) order[#order + 1] = "close(" .. tostring(e):match("boom") .. ")" end})
    error("boom")
  end)
  print(ok, err, order[#order])
  print(pcall(function() local bad <close> = 42 end))
end
-- finalizers
local fin = {}
for i = 1, 5 do setmetatable({}, {__gc = function() fin[#fin + 1] = i end}) end
collectgarbage(); collectgarbage()
table.sort(fin)
print("finalized", table.concat(fin, ","))
-- weak tables
local weak = setmetatable({}, {__mode = "k"})
local keep = {}
weak[keep] = 1; weak[{}] = 2
collectgarbage()
local n = 0 for _ in pairs(weak) do n = n + 1 end
print("weak entries", n)
local wv = setmetatable({}, {__mode = "v"})
wv[1] = {}; wv[2] = keep; wv[3] = "str"
collectgarbage()
print(wv[1], wv[2] == keep, wv[3])
-- __pairs-less iteration via __index, rawlen vs __len
local arr = setmetatable({1, 2, 3}, {__len = function() return 99 end})
print(#arr, rawlen(arr))
-- memoize with __index
local fibm = setmetatable({[0] = 0, [1] = 1}, {__index = function(t, n) local v = t[n - 1] + t[n - 2]; t[n] = v; return v end})
print(fibm[80], fibm[90])
-- the string metatable and coercions
print(("10") + 1, "3" * "4", ("abc"):len(), #"abc")
-- __eq only called for tables
local E = {__eq = function() return true end}
print(setmetatable({}, E) == setmetatable({}, E), setmetatable({}, E) == 1)
-- __index on numbers via debug.setmetatable
debug.setmetatable(0, {__index = {double = function(n) return n * 2 end}})
print((21):double(), (1.5):double())
debug.setmetatable(0, nil)
print(pcall(function() return (1):double() end))
