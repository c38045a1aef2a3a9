-- Section for example.net

VirtualHost "example.net"
	-- Assign this host a certificate for TLS, otherwise it would use the one
	-- set in the global section (if any).
	ssl = {
		key = "/etc/prosody/certs/example.net.key";
		certificate = "/etc/prosody/certs/example.net.crt";
	}

------ Components ------
-- You can specify components to add hosts that provide special services,
-- like multi-user conferences, and transports.

Component "conference.example.net" "muc"
	name = "Chat rooms of example.net"
	modules_enabled = { "muc_mam" }
	restrict_room_creation = "local"

Component "upload.example.net" "http_file_share"
	http_file_share_size_limit = 16*1024*1024
	http_file_share_expires_after = 7*24*60*60
