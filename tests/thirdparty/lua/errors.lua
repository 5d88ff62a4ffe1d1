-- error/pcall/xpcall, error values and levels, tracebacks, stderr, os.exit(3).
local function lvl1() error("level one") end
local function lvl2() error("level two", 2) end
local function lvl0() error("no position", 0) end
local function caller() lvl2() end
print(pcall(lvl1))
print(pcall(caller))
print(pcall(lvl0))
print(pcall(error))
print(pcall(error, nil))
print(pcall(error, 42))
print(select("#", pcall(error)))
local ok, e = pcall(error, {code = 7, msg = "table error"})
print(ok, type(e), e.code, e.msg)
print(pcall(function() local t = nil; return t.x end))
print(pcall(function() local t = {}; return t.x.y end))
print(pcall(function() return undefined_global.field end))
print(pcall(function() undefined_function() end))
print(pcall(function() local s = "x"; return s:nomethod() end))
print(pcall(function() return #5 end))
print(pcall(function() return ("x") .. {} end))
print(pcall(function() local a = {} ; a[nil] = 1 end))
print(pcall(function() local a = {} ; a[0/0] = 1 end))
print(pcall(string.rep, "x", -1), pcall(string.sub))
print(pcall(setmetatable, 1, {}))
print(pcall(assert, false))
print(pcall(assert, nil, "custom assert message"))
print(pcall(assert, 1 == 1, "unused"))
print(select("#", assert(1, 2, 3)))
print(pcall(tostring))
print(pcall(ipairs))
print(pcall(math.floor, "x"))
print(pcall(load, "return +"))
print(load("return +"))
print(load("x ="))
print(load("for i=1 do end", "=mychunk"))
print(load("return 'unfinished", "@file.lua"))
print(load("goto nowhere"))
print(load("local x <const> = 1; x = 2"))
print(type(load(function() return nil end)))
-- xpcall with traceback handler
local function handler(err) return debug.traceback("handled: " .. tostring(err), 1) end
local function inner() local x = {} ; return x.a.b end
local function middle() return inner() end
print(xpcall(middle, handler))
print(xpcall(function(a, b) return a + b end, handler, 3, 4))
print(xpcall(error, function(m) return "H(" .. tostring(m) .. ")" end, "msg", 0))
-- error in handler
print(xpcall(error, function() error("again") end, "x"))
-- nested pcall and rethrow
local ok2, e2 = pcall(function()
  local ok3, e3 = pcall(error, "inner", 0)
  error("rethrown: " .. e3, 0)
end)
print(ok2, e2)
-- tracebacks
print(debug.traceback("msg"))
print(debug.traceback("lvl2", 2))
local co = coroutine.create(function() coroutine.yield() end)
coroutine.resume(co)
print(debug.traceback(co, "coroutine tb"))
print(debug.traceback(12))
-- debug.getinfo
local info = debug.getinfo(1, "Sl")
print(info.short_src, info.currentline, info.what, info.source)
local fi = debug.getinfo(lvl1, "S")
print(fi.linedefined, fi.lastlinedefined, fi.what, debug.getinfo(print).what)
local function locals() local alpha, beta = 1, "two"; local names = {}
  for i = 1, 10 do local n, v = debug.getlocal(1, i); if not n then break end names[#names + 1] = n .. "=" .. (type(v) == "table" and "<table>" or tostring(v)) end
  return table.concat(names, " ")
end
print(locals())
-- warnings go to stderr only when enabled
warn("@on")
warn("a warning ", "in pieces")
warn("@off")
warn("not shown")
-- stderr and stdout writes
io.stderr:write("to stderr 1\n")
io.write("to stdout, no newline")
io.stderr:write("to stderr 2: ", 42, " ", 1.5, "\n")
io.write(" ... continued\n")
print(io.write("chained "):write("writes\n") == io.stdout)
io.stdout:write("buffered before exit")
os.exit(3)
