admins = { "a@x" }
copy = admins
modules_enabled = { "roster" }
modules_enabled:append { "ping" }
modules_enabled { "mam" }
local seen = {}
for m in modules_enabled:values() do seen[#seen + 1] = m end
copied = seen
str = "s"
str2 = str
n = 5
n2 = n + 1
g = Lua.string.upper("x")
t = Lua.tonumber("12")
VirtualHost "x.example"
own = str
