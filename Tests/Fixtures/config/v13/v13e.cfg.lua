t = { "x", "y" }
n = #t
a = tostring(1)
b = tostring(2)
for i = 1, 2 do c = type(i) end
local pr = print
