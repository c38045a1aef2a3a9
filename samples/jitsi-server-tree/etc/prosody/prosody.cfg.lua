-- Prosody main configuration (Debian layout)
admins = { }
plugin_paths = { "/usr/share/jitsi-meet/prosody-plugins/" }

modules_enabled = {
	"disco"; "roster"; "saslauth"; "tls"; "blocklist"; "bookmarks"; "carbons"; "dialback";
	"pep"; "private"; "smacks"; "vcard4"; "vcard_legacy"; "version"; "uptime"; "time"; "ping"; "register"; "admin_adhoc";
}
modules_disabled = { }
allow_registration = false
c2s_require_encryption = true
s2s_secure_auth = false
authentication = "internal_hashed"
archive_expires_after = "1w"
log = {
	info = "/var/log/prosody/prosody.log";
	error = "/var/log/prosody/prosody.err";
}
certificates = "certs"

VirtualHost "localhost"

Include "conf.d/*.cfg.lua"
