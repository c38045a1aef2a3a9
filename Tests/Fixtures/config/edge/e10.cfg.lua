modules_enabled = { "a" }
modules_enabled = { "b" }
VirtualHost "h"
modules_enabled = { "c" }
VirtualHost "h"
modules_enabled = { "d" }
