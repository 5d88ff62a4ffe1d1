local M = {}
function M.split(s, sep)
  local out = {}
  for piece in (s .. sep):gmatch("(.-)" .. sep:gsub("%p", "%%%0")) do out[#out + 1] = piece end
  return out
end
function M.join(t, sep) return table.concat(t, sep) end
return M
