VirtualHost "exa mple"
VirtualHost "a/b"
VirtualHost(42)
VirtualHost "straße.example"
VirtualHost "ＡＢＣ.example"
VirtualHost "x\0y"
