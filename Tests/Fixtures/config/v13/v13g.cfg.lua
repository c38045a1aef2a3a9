ssl = { certificate = "x" }
g = ssl.certificate
