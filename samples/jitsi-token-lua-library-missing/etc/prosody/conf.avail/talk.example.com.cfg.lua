plugin_paths = { "/usr/share/jitsi-meet/prosody-plugins/" }

-- domain mapper options, must at least have domain base set to use the mapper
muc_mapper_domain_base = "talk.example.com";

external_service_secret = "Pz2xC7vB4nM9qW1eR6tY3uI8oA5sD0fG";
external_services = {
     { type = "stun", host = "talk.example.com", port = 3478 },
     { type = "turn", host = "talk.example.com", port = 3478, transport = "udp", secret = true, ttl = 86400, algorithm = "turn" },
     { type = "turns", host = "talk.example.com", port = 5349, transport = "tcp", secret = true, ttl = 86400, algorithm = "turn" }
};

consider_bosh_secure = true;
consider_websocket_secure = true;

-- https://ssl-config.mozilla.org/#server=haproxy&version=2.1&config=intermediate&openssl=1.1.0g&guideline=5.4
ssl = {
    protocol = "tlsv1_2+";
    ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384"
}

unlimited_jids = {
    "focus@auth.talk.example.com",
    "jvb@auth.talk.example.com"
}

VirtualHost "talk.example.com"
    authentication = "token" -- do not delete me
    -- Properties below are modified by jitsi-meet-tokens package config
    -- and authentication above is switched to "token"
    app_id = "example_meet"
    app_secret = "Bn6mQ1wE8rT3yU5iO9pA2sD4fG7hJ0kL"
    allow_empty_token = false
    -- Assign this host a certificate for TLS, otherwise it would use the one
    -- set in the global section (if any).
    -- Note that old-style SSL on port 5223 only supports one certificate, and will always
    -- use the global one.
    ssl = {
        key = "/etc/prosody/certs/talk.example.com.key";
        certificate = "/etc/prosody/certs/talk.example.com.crt";
    }
    av_moderation_component = "avmoderation.talk.example.com"
    speakerstats_component = "speakerstats.talk.example.com"
    conference_duration_component = "conferenceduration.talk.example.com"
    end_conference_component = "endconference.talk.example.com"
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
    lobby_muc = "lobby.talk.example.com"
    breakout_rooms_muc = "breakout.talk.example.com"
    room_metadata_component = "metadata.talk.example.com"
    main_muc = "conference.talk.example.com"
    -- muc_lobby_whitelist = { "recorder.talk.example.com" } -- Here we can whitelist jibri to enter lobby enabled rooms

Component "conference.talk.example.com" "muc"
    restrict_room_creation = true
    storage = "memory"
    modules_enabled = {
        "muc_hide_all";
        "muc_meeting_id";
        "muc_domain_mapper";
        "polls";
        "token_verification";
        "muc_rate_limit";
        "muc_password_whitelist";
    }
    admins = { "focus@auth.talk.example.com" }
    muc_password_whitelist = {
        "focus@auth.talk.example.com"
    }
    muc_room_locking = false
    muc_room_default_public_jids = true

Component "breakout.talk.example.com" "muc"
    restrict_room_creation = true
    storage = "memory"
    modules_enabled = {
        "muc_hide_all";
        "muc_meeting_id";
        "muc_domain_mapper";
        "muc_rate_limit";
        "polls";
    }
    admins = { "focus@auth.talk.example.com" }
    muc_room_locking = false
    muc_room_default_public_jids = true

-- internal muc component
Component "internal.auth.talk.example.com" "muc"
    storage = "memory"
    modules_enabled = {
        "muc_hide_all";
        "ping";
    }
    admins = { "focus@auth.talk.example.com", "jvb@auth.talk.example.com" }
    muc_room_locking = false
    muc_room_default_public_jids = true

VirtualHost "auth.talk.example.com"
    ssl = {
        key = "/etc/prosody/certs/auth.talk.example.com.key";
        certificate = "/etc/prosody/certs/auth.talk.example.com.crt";
    }
    modules_enabled = {
        "limits_exception";
        "smacks";
    }
    authentication = "internal_hashed"
    smacks_hibernation_time = 15;

-- Proxy to jicofo's user JID, so that it doesn't have to register as a component.
Component "focus.talk.example.com" "client_proxy"
    target_address = "focus@auth.talk.example.com"

Component "speakerstats.talk.example.com" "speakerstats_component"
    muc_component = "conference.talk.example.com"

Component "conferenceduration.talk.example.com" "conference_duration_component"
    muc_component = "conference.talk.example.com"

Component "endconference.talk.example.com" "end_conference"
    muc_component = "conference.talk.example.com"

Component "avmoderation.talk.example.com" "av_moderation_component"
    muc_component = "conference.talk.example.com"

Component "lobby.talk.example.com" "muc"
    storage = "memory"
    restrict_room_creation = true
    muc_room_locking = false
    muc_room_default_public_jids = true
    modules_enabled = {
        "muc_hide_all";
        "muc_rate_limit";
        "polls";
    }

Component "metadata.talk.example.com" "room_metadata_component"
    muc_component = "conference.talk.example.com"
    breakout_rooms_component = "breakout.talk.example.com"
