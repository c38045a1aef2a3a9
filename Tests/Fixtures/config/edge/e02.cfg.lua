for i = 1, 3 do dup = i end
function f() end
function f() end
x = nil
x = nil
local t = { a = 1 }; t.b = 2; opt = t
s = ("x"):upper() .. ("abc"):sub(2) .. string.rep("z", 3, "-")
n = select('#', 1, 2)
nums = { 0x10, 1e2, 3 // 2.0, -7 // 2, 7 % -3, 2^2, "5" * "2", 10 / 2, 1e15, 2^63, math.maxinteger + 1, 5 // 0.0, -(0.0), 123456789012, 0.1 + 0.2, 1/3, 100 * 1.1, -1.5e-7 }
strs = { tostring(1e15), tostring(2^63), tostring(10/2), tostring(-0.0), "\z
      x", '\'', "a\tb", 1 .. "" }
local s = "a" s = s .. "b" concat = s
mixed = { 1, 2, nil, 4 }
sparse = { [1] = "x", [2] = "y", [4] = "z" }
fkeys = { [1.0] = "one", [2.5] = "two" }
nested = { { 1 }, { a = { b = {} } } }
cmp = { 1 == 1.0, "a" < "b", 2 <= 1, not 0, nil == false }
bits = { 5 & 3, 5 | 3, 5 ~ 3, 1 << 4, 256 >> 4, ~0 }
return
