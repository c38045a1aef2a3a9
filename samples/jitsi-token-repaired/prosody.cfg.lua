-- The seed scenario repaired as research §3 (d2) describes: one token domain
-- where tokenless users are guests, teachers' tokens make them owners through
-- token_affiliation, and no second token VirtualHost.
plugin_paths = { "/usr/share/jitsi-meet/prosody-plugins/" }

muc_mapper_domain_base = "meet.example.com"
consider_bosh_secure = true

VirtualHost "meet.example.com"
    authentication = "token"
    app_id = "school_meet"
    app_secret = "Sup3rS3cretSigningKey"
    -- Tokenless pupils join as guests on purpose (design d2); jicofo auth stays off.
    allow_empty_token = true -- prosody-doctor: ignore[JWT502] intended: guests without tokens
    ssl = {
        key = "/etc/prosody/certs/meet.example.com.key";
        certificate = "/etc/prosody/certs/meet.example.com.crt";
    }
    modules_enabled = {
        "bosh";
        "pubsub";
        "ping";
        "speakerstats";
        "conference_duration";
    }
    c2s_require_encryption = false

Component "conference.meet.example.com" "muc"
    restrict_room_creation = true
    storage = "memory"
    modules_enabled = {
        "muc_meeting_id";
        "muc_domain_mapper";
        "token_verification";
        "token_affiliation";
    }
    admins = { "focus@auth.meet.example.com" }
    muc_room_locking = false
    muc_room_default_public_jids = true

VirtualHost "auth.meet.example.com"
    authentication = "internal_hashed"
    ssl = {
        key = "/etc/prosody/certs/auth.meet.example.com.key";
        certificate = "/etc/prosody/certs/auth.meet.example.com.crt";
    }

Component "internal.auth.meet.example.com" "muc"
    storage = "memory"
    modules_enabled = { "ping"; }
    admins = { "focus@auth.meet.example.com", "jvb@auth.meet.example.com" }
    muc_room_locking = false
    muc_room_default_public_jids = true

Component "focus.meet.example.com" "client_proxy"
    target_address = "focus@auth.meet.example.com"
