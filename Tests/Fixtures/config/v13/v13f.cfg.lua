t = { "x", "y" }
for _, v in ipairs(t) do last = v end
