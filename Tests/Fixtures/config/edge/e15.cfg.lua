local p = "inc2"
Include(p .. "/*.lua")
after = 1
