Component "x.example" "muc"
Component "x.example"
Component "y.example" "muc"
component_module = "foo"
VirtualHost "z.example"
defined = nil
zz = 1
VirtualHost "t.example" { "a", "b", key = { 1, 2 }, [5] = true }
after = 1
host "lower.example"
component "c.lower.example" "muc"
Host "A.B.Example"
VirtualHost "vh" ; a = 1 Component "c.vh" "muc" b = 2
Component "cc.example" "muc" { }
global_after = true
