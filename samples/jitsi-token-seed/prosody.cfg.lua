-- Seed scenario (research F1): a school wants anyone to open rooms and teachers,
-- who carry JWT tokens, to be moderators. Pasted on a forum, where the closing
-- brace of the ssl table was lost.
plugin_paths = { "/usr/share/jitsi-meet/prosody-plugins/" }

muc_mapper_domain_base = "meet.example.com"
consider_bosh_secure = true

VirtualHost "meet.example.com"
    authentication = "token"
    app_id = "school_meet"
    app_secret = "Sup3rS3cretSigningKey"
    allow_empty_token = true
    ssl = {
        key = "/etc/prosody/certs/meet.example.com.key";
        certificate = "/etc/prosody/certs/meet.example.com.crt";

    modules_enabled = {
        "bosh";
        "pubsub";
        "ping";
        "speakerstats";
        "conference_duration";
    }
    c2s_require_encryption = false

VirtualHost "guest.meet.example.com"
    authentication = "token"
    app_id = "school_meet"
    app_secret = "Sup3rS3cretSigningKey"
    allow_empty_token = true
    c2s_require_encryption = false

Component "conference.meet.example.com" "muc"
    restrict_room_creation = true
    storage = "memory"
    modules_enabled = {
        "muc_meeting_id";
        "muc_domain_mapper";
        "token_verification";
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
