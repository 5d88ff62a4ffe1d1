-- String library: basic functions, patterns, format, pack/unpack, utf8.
local s = "Hello, Lua World! 123 abc 4.5"
print(#s, s:len(), s:upper(), s:lower(), s:reverse())
print(s:sub(1, 5), s:sub(-5), s:sub(8, -8), s:sub(0), s:sub(100), ("x"):rep(5, "-"))
print(s:byte(1), s:byte(-1), s:byte(1, 5))
print(string.char(72, 105, 0, 33):len(), ("a\0b"):byte(1, -1))
print(s:find("Lua"), s:find("o", 6), s:find("%d+"), s:find(".", 1, true), s:find("xyz"))
print(s:match("%a+"), s:match("(%d+) (%a+)"), s:match("()Lua()"), s:match("%d+%.%d+"))
for w in s:gmatch("%a+") do io.write("[", w, "]") end print()
for k, v in ("a=1, b=22, ccc=333"):gmatch("(%w+)=(%w+)") do io.write(k, ":", v, " ") end print()
print(s:gsub("o", "0"))
print(s:gsub("%w+", "<%0>", 3))
print(("hello world"):gsub("(%w+) (%w+)", "%2 %1"))
print(("abc"):gsub("", "-"))
print(("$name is $age"):gsub("%$(%w+)", {name = "Bob", age = 42}))
print(("1 2 3 4"):gsub("%d", function(d) return d * d end))
print(("THE (quick) fox"):find("%((%a+)%)"))
print(("f(a(b)c)d"):match("%b()"), ("[[x]]"):match("%b[]"))
print(("THE quick brown"):gsub("%f[%a]%a+", function(w) return w:sub(1,1):upper() .. w:sub(2) end))
print(("  trim me  "):match("^%s*(.-)%s*$") .. "|")
print(("key = value # comment"):match("^(%w+)%s*=%s*([^#]-)%s*#"))
print(("2024-01-15"):match("(%d+)-(%d+)-(%d+)"))
print(("a,b,,c"):gsub(",", ";"), ("a.b.c"):gsub("%.", "/"))
print(string.find("abc", "b", -10), string.find("", ""), string.find("abc", "", 10))
print(pcall(string.rep), pcall(string.gsub, "x", "(", ""))
print(pcall(string.match, "x", "[a"))
print(pcall(string.format, "%d", 1.5))
print(string.format("%q", 'he said "hi"\n\tand \0 left\\'))
print(string.format("%q", 1/3), string.format("%q", math.mininteger), string.format("%q", 255))
print(string.format("%s %s %s", nil, true, 12.5), string.format("%%"), string.format("%5s|%-5s|", "ab", "cd"))
print(string.format("%.3s|%08.3f|%+.2e|%#x|%#o", "abcdef", -3.14159, 123456, 255, 8))
print(string.format("%-20s|%20s|", "left", "right"))
print(tostring(12), tostring(1.5), tostring(nil), tostring(true), tostring("x"))
print(("x"):rep(0), ("ab"):rep(3, ","), #("x"):rep(1000))
-- comparisons and concatenation
print("a" < "b", "abc" < "abd", "Z" < "a", "" < "a", "a\0b" < "a\0c", "10" < "9")
local parts = {}
for i = 1, 10 do parts[#parts + 1] = i % 2 == 0 and tostring(i) or string.format("%03d", i) end
print(table.concat(parts, "|"), table.concat(parts, ", ", 3, 6), table.concat({}, "x"))
-- pack / unpack
local p = string.pack("<i4 >i2 z s1 d B", -2, 513, "zero", "len", 2.5, 255)
print(#p, p:byte(1, 6))
print(string.unpack("<i4 >i2 z s1 d B", p))
print(string.packsize("i4 i8 d"), string.unpack("<I3", "\1\2\3"), string.unpack(">I3", "\1\2\3"))
print(pcall(string.pack, "i17", 1))
-- utf8
local u = "héllo wörld €𝄞"
print(#u, utf8.len(u), utf8.char(72, 233, 8364, 119070), utf8.codepoint(u, 1, 3))
for p, c in utf8.codes("aé€") do io.write(p, "=", c, " ") end print()
print(utf8.offset(u, 3), utf8.offset(u, -1), utf8.len("\xff"), utf8.charpattern)
print(("%d items"):format(3), ("abc"):upper():lower():len())
-- long strings and escapes
local long = [[
line1
  line2 ]] .. [==[with ]] inside]==]
print(long, "\65\066\x43\u{44}\z
       E", "tab\there", 'single\'quote')
-- string coercion in concat
print(1 .. "", 1.0 .. "", -0.0 .. "", 2^63 .. "", 10 // 3 .. "")
-- many small strings (interning, string table resize)
local set = {}
for i = 1, 20000 do set["k" .. i] = i end
local n = 0
for k, v in pairs(set) do if tonumber(k:sub(2)) == v then n = n + 1 end end
print("interned", n)
