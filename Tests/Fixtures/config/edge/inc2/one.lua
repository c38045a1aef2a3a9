VirtualHost "inc.example"; q = 1
