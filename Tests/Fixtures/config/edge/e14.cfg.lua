Component "x" (nil)
