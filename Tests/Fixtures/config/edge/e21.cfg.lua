VirtualHost "ΣΑΣ.example"
VirtualHost "ﬁ.example"
VirtualHost "İstanbul.example"
VirtualHost "ς.example"
