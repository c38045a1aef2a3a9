local list = { "a", "b" }
table.insert(list, 1, "z")
table.remove(list)
mods = list
j = table.concat({ 1, 2.5, "x" }, "-")
f = string.format("%5.2f|%d|%s|%q|%x", 3.14159, 42, true, "a\"b", 255)
m = { math.floor(3.7), math.ceil(3.2), math.max(1, 5, 3), math.min(2.5, 1), math.huge, -math.huge, math.pi }
tn = { tonumber("0x1F"), tonumber("  12  "), tonumber("1e2"), tonumber("z"), tonumber("ff", 16), tonumber(5) }
ty = { type(1), type("s"), type({}), type(nil), type(print) }
