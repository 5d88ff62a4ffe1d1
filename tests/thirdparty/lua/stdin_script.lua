-- Read from standard input by "lua -", with arguments after it.
print("script from stdin", arg[0], #arg, ...)
local t = {}
for i = 1, 5 do t[i] = i ^ 2 end
print(table.concat(t, " "))
print(string.format("%s|%q", "end", "of stdin script"))
io.stderr:write("stderr from stdin script\n")
