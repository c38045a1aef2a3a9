ssl.certificate = "x"
