VirtualHost = 5
x = 1
