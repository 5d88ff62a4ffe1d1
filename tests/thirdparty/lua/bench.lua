-- A heavier workload: allocation, GC, string building, floats, closures.
local function sieve(n)
  local comp, primes = {}, {}
  for i = 2, n do
    if not comp[i] then primes[#primes + 1] = i; for j = i * i, n, i do comp[j] = true end end
  end
  return primes
end
local primes = sieve(200000)
print("primes", #primes, primes[#primes], primes[1000])

-- n-body style float arithmetic, printed with %.9f
local bodies = {}
for i = 1, 5 do
  bodies[i] = {x = i * 1.1, y = i * -0.7, z = i * 0.3, vx = 0.01 * i, vy = 0.02, vz = -0.01 * i, m = 1 / i}
end
local function advance(dt)
  for i = 1, #bodies do
    local bi = bodies[i]
    for j = i + 1, #bodies do
      local bj = bodies[j]
      local dx, dy, dz = bi.x - bj.x, bi.y - bj.y, bi.z - bj.z
      local d2 = dx * dx + dy * dy + dz * dz
      local mag = dt / (d2 * math.sqrt(d2))
      bi.vx = bi.vx - dx * bj.m * mag; bj.vx = bj.vx + dx * bi.m * mag
      bi.vy = bi.vy - dy * bj.m * mag; bj.vy = bj.vy + dy * bi.m * mag
      bi.vz = bi.vz - dz * bj.m * mag; bj.vz = bj.vz + dz * bi.m * mag
    end
  end
  for _, b in ipairs(bodies) do b.x = b.x + dt * b.vx; b.y = b.y + dt * b.vy; b.z = b.z + dt * b.vz end
end
for _ = 1, 20000 do advance(0.01) end
for i, b in ipairs(bodies) do print(string.format("body %d %.9f %.9f %.9f", i, b.x, b.y, b.z)) end

-- string building and hashing
local parts = {}
for i = 1, 30000 do parts[#parts + 1] = string.format("%05d:%s", i, string.char(65 + i % 26)) end
local big = table.concat(parts, ";")
local h = 0
for i = 1, #big, 7 do h = (h * 31 + big:byte(i)) & 0xffffffff end
print("string", #big, h, big:sub(1, 30), select(2, big:gsub(";", ";")))

-- lots of short-lived tables and closures (GC pressure)
local live = {}
for i = 1, 200000 do
  local t = {i, tostring(i), function() return i end}
  if i % 1000 == 0 then live[#live + 1] = t end
end
local chk = 0
for _, t in ipairs(live) do chk = chk + t[3]() + #t[2] end
print("gc", #live, chk)

-- a binary tree workload
local function make(d) if d == 0 then return {} end d = d - 1; return {make(d), make(d)} end
local function check(t) if t[1] then return 1 + check(t[1]) + check(t[2]) end return 1 end
local sum = 0
for d = 4, 14, 2 do sum = sum + check(make(d)) end
print("trees", sum)

-- matrix multiply with floats
local n = 60
local A, B = {}, {}
for i = 1, n do A[i], B[i] = {}, {} for j = 1, n do A[i][j] = (i + j) / n; B[i][j] = (i - j) / n end end
local C = {}
for i = 1, n do
  local Ci, Ai = {}, A[i]
  for j = 1, n do local s = 0.0 for k = 1, n do s = s + Ai[k] * B[k][j] end Ci[j] = s end
  C[i] = Ci
end
print(string.format("matrix %.6f %.6f %.6f", C[1][1], C[n][n], C[n // 2][n // 3]))

-- word frequency with sorted output
local text = string.rep("the cat sat on the mat and the dog ate the cat food ", 200)
local freq = {}
for w in text:gmatch("%a+") do freq[w] = (freq[w] or 0) + 1 end
local ws = {}
for w, c in pairs(freq) do ws[#ws + 1] = {w, c} end
table.sort(ws, function(a, b) if a[2] ~= b[2] then return a[2] > b[2] end return a[1] < b[1] end)
for i = 1, #ws do io.write(ws[i][1], "=", ws[i][2], " ") end
print()
print("done")
