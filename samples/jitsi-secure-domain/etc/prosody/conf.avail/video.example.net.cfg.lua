plugin_paths = { "/usr/share/jitsi-meet/prosody-plugins/" }

-- domain mapper options, must at least have domain base set to use the mapper
muc_mapper_domain_base = "video.example.net";

external_service_secret = "Vt5nQ8wE3rY7uI2oP6aS9dF4gH1jK0lZ";
external_services = {
     { type = "stun", host = "video.example.net", port = 3478 },
     { type = "turn", host = "video.example.net", port = 3478, transport = "udp", secret = true, ttl = 86400, algorithm = "turn" },
     { type = "turns", host = "video.example.net", port = 5349, transport = "tcp", secret = true, ttl = 86400, algorithm = "turn" }
};

consider_bosh_secure = true;
consider_websocket_secure = true;

-- https://ssl-config.mozilla.org/#server=haproxy&version=2.1&config=intermediate&openssl=1.1.0g&guideline=5.4
ssl = {
    protocol = "tlsv1_2+";
    ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384"
}

unlimited_jids = {
    "focus@auth.video.example.net",
    "jvb@auth.video.example.net"
}

VirtualHost "video.example.net"
    authentication = "internal_hashed"
    -- Assign this host a certificate for TLS, otherwise it would use the one
    -- set in the global section (if any).
    -- Note that old-style SSL on port 5223 only supports one certificate, and will always
    -- use the global one.
    ssl = {
        key = "/etc/prosody/certs/video.example.net.key";
        certificate = "/etc/prosody/certs/video.example.net.crt";
    }
    av_moderation_component = "avmoderation.video.example.net"
    speakerstats_component = "speakerstats.video.example.net"
    conference_duration_component = "conferenceduration.video.example.net"
    end_conference_component = "endconference.video.example.net"
    -- we need bosh
    modules_enabled = {
        "bosh";
        "websocket";
        "smacks";
        "pubsub";
        "ping"; -- Enable mod_ping
        "speakerstats";
        "external_services";
        "conference_duration";
        "end_conference";
        "muc_lobby_rooms";
        "muc_breakout_rooms";
        "av_moderation";
        "room_metadata";
    }
    c2s_require_encryption = false
    lobby_muc = "lobby.video.example.net"
    breakout_rooms_muc = "breakout.video.example.net"
    room_metadata_component = "metadata.video.example.net"
    main_muc = "conference.video.example.net"
    -- muc_lobby_whitelist = { "recorder.video.example.net" } -- Here we can whitelist jibri to enter lobby enabled rooms

VirtualHost "guest.video.example.net"
    authentication = "jitsi-anonymous"
    c2s_require_encryption = false

Component "conference.video.example.net" "muc"
    restrict_room_creation = true
    storage = "memory"
    modules_enabled = {
        "muc_hide_all";
        "muc_meeting_id";
        "muc_domain_mapper";
        "polls";
        -- "token_verification";
        "muc_rate_limit";
        "muc_password_whitelist";
    }
    admins = { "focus@auth.video.example.net" }
    muc_password_whitelist = {
        "focus@auth.video.example.net"
    }
    muc_room_locking = false
    muc_room_default_public_jids = true

Component "breakout.video.example.net" "muc"
    restrict_room_creation = true
    storage = "memory"
    modules_enabled = {
        "muc_hide_all";
        "muc_meeting_id";
        "muc_domain_mapper";
        "muc_rate_limit";
        "polls";
    }
    admins = { "focus@auth.video.example.net" }
    muc_room_locking = false
    muc_room_default_public_jids = true

-- internal muc component
Component "internal.auth.video.example.net" "muc"
    storage = "memory"
    modules_enabled = {
        "muc_hide_all";
        "ping";
    }
    admins = { "focus@auth.video.example.net", "jvb@auth.video.example.net" }
    muc_room_locking = false
    muc_room_default_public_jids = true

VirtualHost "auth.video.example.net"
    ssl = {
        key = "/etc/prosody/certs/auth.video.example.net.key";
        certificate = "/etc/prosody/certs/auth.video.example.net.crt";
    }
    modules_enabled = {
        "limits_exception";
        "smacks";
    }
    authentication = "internal_hashed"
    smacks_hibernation_time = 15;

-- Proxy to jicofo's user JID, so that it doesn't have to register as a component.
Component "focus.video.example.net" "client_proxy"
    target_address = "focus@auth.video.example.net"

Component "speakerstats.video.example.net" "speakerstats_component"
    muc_component = "conference.video.example.net"

Component "conferenceduration.video.example.net" "conference_duration_component"
    muc_component = "conference.video.example.net"

Component "endconference.video.example.net" "end_conference"
    muc_component = "conference.video.example.net"

Component "avmoderation.video.example.net" "av_moderation_component"
    muc_component = "conference.video.example.net"

Component "lobby.video.example.net" "muc"
    storage = "memory"
    restrict_room_creation = true
    muc_room_locking = false
    muc_room_default_public_jids = true
    modules_enabled = {
        "muc_hide_all";
        "muc_rate_limit";
        "polls";
    }

Component "metadata.video.example.net" "room_metadata_component"
    muc_component = "conference.video.example.net"
    breakout_rooms_component = "breakout.video.example.net"
