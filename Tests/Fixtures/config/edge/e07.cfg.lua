VirtualHost "c.example"
Component "C.example" "muc"
