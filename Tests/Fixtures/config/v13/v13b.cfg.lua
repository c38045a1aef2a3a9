a = type(os)
b = FileContents "secret.txt"
c = FileLine "secret.txt"
d = FileLines "secret.txt"
e = tostring(5)
ssl = { certificate = "x" }
ssl.key = "k"
h = #Lua.tostring(12)
local t = { "x" }
for _, v in ipairs(t) do last = v end
