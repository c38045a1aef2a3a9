Include "./inc2/one.lua"
Include "inc2/../inc2/two.lua"
