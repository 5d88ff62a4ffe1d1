-- Integer and float arithmetic, number formatting, conversions, math library.
local function show(...)
  local t = table.pack(...)
  for i = 1, t.n do t[i] = tostring(t[i]) .. "(" .. (math.type(t[i]) or type(t[i])) .. ")" end
  print(table.concat(t, " "))
end

show(1 + 2, 1 + 2.0, 7 // 2, 7.0 // 2, -7 // 2, 7 % -3, -7 % 3, 7.5 % 2)
show(2^10, 2^0.5, 10 / 2, 3 / 0, -3 / 0, 1e308 * 10)
show(math.maxinteger, math.mininteger, math.maxinteger + 1 == math.mininteger)
show(math.maxinteger * 2, math.mininteger // -1, 5 // 0.0, -5 // 0.0)
show(1e15, 1e16, 123456789012345678, 0.1 + 0.2, 100 * 1.1, 1/3)
show(2^53, 2^53 + 1, 2^63, -2^63, math.tointeger(2^53), math.tointeger(3.5))
show(3 | 5, 3 & 5, 3 ~ 5, ~0, 1 << 62, 1 << 63, 1 << 64, -1 >> 1, 2.0 | 1)
show(0x7fffffffffffffff, 0xffffffffffffffff, 0x10, 0xA.8p1, 0x.1p4, 1e2, .5)
show("10" + 5, "3.0" + 1, "0x10" * 2, 10 .. 20, "2" ^ 2, " 7 " * 1)
show(tonumber("  0x1p4  "), tonumber("1e"), tonumber("z", 36), tonumber("777", 8),
     tonumber("ff", 16), tonumber("-101", 2), tonumber(""), tonumber("inf"))
show(tostring(-0.0), 0.0 == -0.0, 1/(-0.0), math.abs(-0.0), 3 == 3.0, math.ult(1, -1))
show(math.floor(3.7), math.ceil(3.2), math.floor(-3.5), math.ceil(-3.5), math.floor(2^62))
show(math.fmod(7, 3), math.fmod(-7, 3), math.fmod(7, -3.5), math.fmod(-6, 4.0))
show(math.max(3, 7.5, -1), math.min(3, 7.5, -1), math.max(2, 2.0), math.huge, -math.huge)
show(math.sqrt(2), math.exp(1), math.log(100, 10), math.log(8, 2), math.log(2.718281828459045))
show(math.sin(1), math.cos(1), math.tan(1), math.asin(0.5), math.acos(0.5), math.atan(1, 2))
show(math.pi, math.modf(3.75), math.modf(-3.75), math.modf(math.huge))
show(string.format("%.3f %5.1f %-8.2e| %g %g %g", math.pi, -2.25, 12345.678, 1e20, 1e-5, 100))
show(string.format("%d %5d %-5d| %05d %+d %x %X %o", 42, 42, 42, 42, 42, 255, 255, 8))
show(string.format("%a %A", 1.0, 0.5), string.format("%.0f %.20g", 0.5, 0.1))
show(string.format("%i %c%c%c", -17, 76, 117, 97), string.format("%10.4s|", "abcdefg"))
local nan = 0/0
show(nan ~= nan, math.type(nan), math.huge > math.maxinteger, 1 < 1.5, -1 < -0.5)
show(math.type(1), math.type(1.0), math.type("1"), math.tointeger("8"), math.tointeger(8.0))
for _, s in ipairs{"12", "12.0", "0x1F", "1e3", "  -4  ", "5x", "0b1"} do
  show(s, tonumber(s), math.tointeger(tonumber(s) or 0))
end
math.randomseed(42)
local r = {}
for i = 1, 8 do r[#r + 1] = math.random(1, 1000) end
print(table.concat(r, ","))
math.randomseed(7, 3)
print(math.random(0), math.random(10), string.format("%.10f", math.random()))
-- integer loops, float loops and accumulated rounding
local s, f = 0, 0.0
for i = 1, 100000 do s = s + i * i; f = f + 1 / i end
print(s, f, string.format("%.17g", f))
for x = 1.0, 2.0, 0.25 do io.write(x, " ") end
for i = 10, 1, -3 do io.write(i, " ") end
for i = math.maxinteger - 2, math.maxinteger do io.write(i, " ") end
print()
-- factorials overflow integers, not floats
local fi, ff = 1, 1.0
for i = 1, 25 do fi = fi * i; ff = ff * i end
print(fi, ff, string.format("%.0f", ff))
-- comparison between ints and floats near the limits
print(2^63 == math.maxinteger + 1.0, math.maxinteger + 0.0 == 2^63, math.maxinteger < 2^63,
      math.mininteger <= -2^63, 1 == 1.0000000000000002)
print(string.rep("=", 20))
print(8 // 3 * 3 + 8 % 3, -8 // 3 * 3 + -8 % 3, 2^-1074, 2^-1075, 1.7976931348623157e308)
print(pcall(function() return 1 // 0 end))
print(pcall(function() return 1 % 0 end))
print(pcall(function() return 1 < "2" end))
print(pcall(function() return {} + 1 end))
print(pcall(function() return 1.5 | 1 end))
print(pcall(function() return "abc" + 1 end))
