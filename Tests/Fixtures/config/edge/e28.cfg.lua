local obj = { prefix = "conference." }
function obj:name(d) return self.prefix .. d end
function obj.plain(d) return "plain." .. d end
Component (obj:name("example.org")) "muc"
Component (obj.plain("example.org")) "http_file_share"
