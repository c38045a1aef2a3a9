s = "x" .. nil_thing
