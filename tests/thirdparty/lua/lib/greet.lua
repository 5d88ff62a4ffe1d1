local M = {loaded_as = ...}
M.count = 0
function M.hello(who) M.count = M.count + 1; return "hello, " .. who end
return M
