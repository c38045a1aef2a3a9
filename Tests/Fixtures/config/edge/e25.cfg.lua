local up = nil
local function f() return up.x end
f()
