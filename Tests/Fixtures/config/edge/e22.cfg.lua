local function set_opts()
  helper_opt = 1
end
VirtualHost "h.example"
set_opts()
set_opts()
Component "ext.example" { component_secret = "s", [1] = "pos" }
Include "inc2/two.lua"
Include "inc2/two.lua"
r = 3
local t = setmetatable({}, {})
