local domains = { "a.example", "b.example" }
for _, d in ipairs(domains) do
  VirtualHost(d)
    modules_enabled = { "ping" }
end
local k = {}
for key, value in pairs({ x = 1, y = 2, z = 3 }) do k[#k+1] = key end
count = #k
i = 0
repeat i = i + 1 until i >= 3
w = 0
while w < 10 do w = w + 1 if w == 5 then break end end
if false then never = 1 elseif nil then never2 = 1 else yes = 1 end
local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end
f10 = fact(10)
local function multi() return 1, 2, 3 end
packed = { multi() }
first = (multi())
local a, b, c = multi()
sum = a + b + c
vararg = (function(...) return select('#', ...) end)(1, nil, 3)
