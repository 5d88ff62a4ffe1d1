-- An uncaught runtime error: the interpreter prints "lua: MSG" and a
-- traceback on stderr and exits with status 1. Output before it is flushed.
local function validate(cfg)
  if cfg.port > 65535 then error("port out of range: " .. cfg.port) end
  return cfg.name:upper()
end
local function load_config(t) return validate(t) end
io.write("partial output without newline")
print(" then a line")
io.stderr:write("a note on stderr\n")
print(load_config({name = "ok", port = 80}))
print(load_config({name = "bad", port = 70000}))
print("never printed")
