VirtualHost "x.example" "muc"
