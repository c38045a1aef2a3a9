g = string.sub("abc", math.mininteger, math.maxinteger)
i = math.mininteger // -1
j = math.mininteger % -1
k = 1 << 64
l = tostring(1e308 * 10)
m = { select(-1, 1, 2, 3) }
n = select(2, "a", "b", "c")
o = string.format("%5.1f|%-3d|%03d", 2.25, 7, 5)
p = ("%d"):format(3.0)
q = math.type(1) .. math.type(1.0) .. tostring(math.type("1"))
r = 7 // 0.0
s = -7 // 0.0
t = 0/0 ~= 0/0
