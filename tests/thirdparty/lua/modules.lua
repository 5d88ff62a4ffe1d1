-- require/package, load with environments, string.dump, _ENV, goto, integer for loops.
local dir = arg[0]:match("^(.*)/") or "."
package.path = dir .. "/lib/?.lua;" .. dir .. "/lib/?/init.lua"
package.cpath = ""
local greet = require("greet")
print(greet.hello("world"), greet.count, greet.loaded_as, package.loaded.greet == greet)
print(require("greet") == greet, select(2, require("greet")))
local strs = require("util.strings")
print(strs.join(strs.split("a,b,,c", ","), "|"))
local ok, err = pcall(require, "does.not.exist")
print(ok, err)
print(pcall(require, "broken"))
package.preload.virtual = function(name, extra) return {name = name, extra = extra} end
local v = require("virtual")
print(v.name, v.extra)
print(package.config:sub(1, 1), package.searchpath("util.strings", package.path))
print(package.searchpath("nope", "./?.x;/no/?.y"))
-- load with custom environments
local env = {print = print, x = 5}
local chunk = load("x = x * 2; y = 'set in env'; return x", "=envchunk", "t", env)
print(chunk(), env.x, env.y, rawget(_G, "y"))
print(load("return ...", "varargs")(1, 2, 3))
local pieces = {"return ", "1 ", "+ ", "41"}
local i = 0
print(load(function() i = i + 1; return pieces[i] end)())
print(pcall(load("error('inside loaded chunk')", "=loaded")))
print(load("\27Lua garbage", "bin", "t"))
-- string.dump round trip, with and without strip
local function make(k) return function(a) return a * k + 1 end end
local f = function(a, b) local t = {} for i = a, b do t[#t + 1] = i * i end return table.concat(t, ",") end
local dumped = string.dump(f)
local g = load(dumped, "dumped", "b")
print(g(1, 6), #dumped == #string.dump(f), #string.dump(f, true) <= #dumped)
print(pcall(string.dump, print))
print(pcall(load(string.dump(function() error("from dumped") end), "=d", "b")))
print(pcall(load(string.dump(function() error("stripped") end, true), "=s", "b")))
-- _ENV tricks
do
  local _ENV = {print = print, tostring = tostring}
  z = 10
  print(z, tostring(_ENV.z))
end
print(rawget(_G, "z"))
local function sandbox()
  local _ENV = setmetatable({}, {__index = _G})
  newglobal = "sandboxed"
  return newglobal, _G.newglobal
end
print(sandbox())
-- goto and labels
for i = 1, 3 do
  for j = 1, 3 do
    if j == 2 then goto continue end
    io.write(i, ":", j, " ")
    ::continue::
  end
end
print()
do
  local k = 1
  ::top::
  k = k * 3
  if k < 100 then goto top end
  print("k", k)
end
-- integer for loop edge cases
local c = 0
for i = math.maxinteger - 1, math.maxinteger do c = c + 1 end
for i = math.mininteger, math.mininteger + 2 do c = c + 1 end
for i = 1, 0 do c = c + 100 end
for i = 3, 1, -1 do c = c + 1 end
print(c, pcall(function() for i = 1, 10, 0 do end end))
-- multiple assignment, swaps, varargs in tables
local p, q, r = 1, 2
p, q = q, p
print(p, q, r, #{(function() return 1, 2, 3 end)()}, #{(function() return 1, 2, 3 end)(), 4})
-- collectgarbage modes
print(collectgarbage("isrunning"), collectgarbage("step"), type(collectgarbage("count")))
print(collectgarbage("incremental"), collectgarbage("generational"), collectgarbage("incremental"))
collectgarbage("stop"); print(collectgarbage("isrunning")); collectgarbage("restart")
print(_VERSION, type(_G), _G._G == _G, math.pi == _G.math.pi)
