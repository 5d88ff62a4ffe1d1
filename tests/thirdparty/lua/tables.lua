-- Tables: constructors, length, table library, sorting, iteration.
local t = {10, 20, 30, nil, 50}
print(#{1, 2, 3}, select("#", table.unpack({1, 2, 3})), t[5], #"")
local a = {}
for i = 1, 10 do table.insert(a, i * i) end
table.insert(a, 1, 0)
table.insert(a, 5, -1)
print(table.concat(a, " "))
print(table.remove(a), table.remove(a, 1), table.remove(a, 4), #a)
print(table.concat(a, " "))
print(table.unpack({1, 2, 3}, 2), table.unpack({1, 2, 3}, 2, 5))
local m = table.move({1, 2, 3, 4, 5}, 2, 4, 1)
print(table.concat(m, ","))
print(table.concat(table.move({1, 2, 3}, 1, 3, 3, {9, 9}), ","))
local packed = table.pack(1, nil, 3, nil)
print(packed.n, packed[1], packed[2], packed[3])
-- sorting
local words = {}
for w in ("the quick brown fox jumps over the lazy dog again and again"):gmatch("%a+") do
  words[#words + 1] = w
end
table.sort(words)
print(table.concat(words, " "))
table.sort(words, function(x, y) if #x ~= #y then return #x > #y end return x < y end)
print(table.concat(words, " "))
local nums = {}
local x = 12345
for i = 1, 2000 do x = (x * 1103515245 + 12345) % 2147483648; nums[i] = x % 10000 end
table.sort(nums)
local okay = true
for i = 2, #nums do if nums[i - 1] > nums[i] then okay = false end end
print("sorted", okay, nums[1], nums[1000], nums[2000])
table.sort(nums, function(p, q) return p > q end)
print(nums[1], nums[2000])
local recs = {}
for i = 1, 50 do recs[i] = {id = i, key = (i * 37) % 11, name = "r" .. i} end
table.sort(recs, function(p, q) if p.key ~= q.key then return p.key < q.key end return p.id < q.id end)
local out = {}
for i = 1, 12 do out[#out + 1] = recs[i].name .. "/" .. recs[i].key end
print(table.concat(out, " "))
print(pcall(table.sort, {3, 1, "x"}))
print(pcall(table.sort, {1, 2, 3}, function(p, q) return true end))
-- hash part, sorted key listing (pairs order is not specified)
local h = {alpha = 1, beta = 2, gamma = 3, [1.5] = "f", [true] = "t", [10] = "ten"}
h.delta = 4; h.beta = nil
local keys = {}
for k in pairs(h) do keys[#keys + 1] = tostring(k) end
table.sort(keys)
print(table.concat(keys, " "))
-- ipairs stops at first nil; next on empty
local cnt = 0
for i, v in ipairs({1, 2, nil, 4}) do cnt = cnt + 1 end
print(cnt, next({}), rawlen({1, 2}), rawequal(h, h), rawget(h, "alpha"))
-- nested tables and a simple serializer with sorted keys
local function ser(v, ind)
  ind = ind or ""
  if type(v) ~= "table" then return type(v) == "string" and string.format("%q", v) or tostring(v) end
  local ks = {}
  for k in pairs(v) do ks[#ks + 1] = k end
  table.sort(ks, function(p, q)
    if type(p) == type(q) then return p < q end
    return type(p) < type(q)
  end)
  local parts = {}
  for _, k in ipairs(ks) do
    parts[#parts + 1] = ind .. "  [" .. ser(k) .. "] = " .. ser(v[k], ind .. "  ")
  end
  return "{\n" .. table.concat(parts, ",\n") .. "\n" .. ind .. "}"
end
print(ser({1, 2, {3, 4, x = "y"}, name = "n", deep = {deeper = {deepest = true}}, [2.5] = 0}))
-- big arrays and rehashing
local big = {}
for i = 1, 100000 do big[i] = i end
for i = 1, 100000, 2 do big[i] = nil end
local sum = 0
for i = 2, 100000, 2 do sum = sum + big[i] end
print(sum)
local grid = {}
for i = 1, 100 do grid[i] = {} for j = 1, 100 do grid[i][j] = i * j end end
local tr = 0
for i = 1, 100 do tr = tr + grid[i][i] end
print(tr, #grid, #grid[50])
-- table.concat errors
print(pcall(table.concat, {1, {}, 3}))
print(pcall(table.insert, {1}, 5, 2))
