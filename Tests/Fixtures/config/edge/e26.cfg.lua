--[==[ long
comment ]==]
a = [==[
first newline skipped ]] still ]==]
b = { 0x1p4, 0x.8, 0xA, 9223372036854775807, 9223372036854775808, 0xffffffffffffffffff, 1e308 * 10, 3., .5, 1E-2 }
c = "\65\066\x43\u{48}\u{20AC}\z
     end\
next"
d = 'single \'quoted\' "x"'
e = #[[]] + #"\0\0"
f = - - 2
g = 2^-1
h = -2^2
i = not not nil
j = 1 .. 2
k = "10" // "3"
l = 7 // -2.0
m = -7 % 2.5
