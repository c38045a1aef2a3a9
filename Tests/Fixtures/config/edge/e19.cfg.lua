local x <const> = 5
y = x
goto skip
z = 1
::skip::
w = 2
