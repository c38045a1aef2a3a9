-- commented VirtualHost trap
Component "conference.example.com" "muc"
    restrict_room_creation = true

--VirtualHost "guest.example.com"
    authentication = "anonymous"
    c2s_require_encryption = false
