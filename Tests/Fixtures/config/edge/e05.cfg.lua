VirtualHost "a.example"
local function inc() Include "inc/bad.inc" end
inc()
