/// Correct output of the Jitsi templates (trimmed to what the Jitsi rules look at):
/// every Jitsi rule must stay quiet on them.
enum JitsiTemplates {
    /// Debian jitsi-meet-prosody + jitsi-meet-tokens (2024/2025 layout, design c).
    static let debianTokens = """
    plugin_paths = { "/usr/share/jitsi-meet/prosody-plugins/" }

    -- domain mapper options, must at least have domain base set to use the mapper
    muc_mapper_domain_base = "meet.example.com";

    cross_domain_bosh = false;
    consider_bosh_secure = true;
    consider_websocket_secure = true;

    unlimited_jids = {
        "focus@auth.meet.example.com",
        "jvb@auth.meet.example.com"
    }

    smacks_max_unacked_stanzas = 5;
    smacks_hibernation_time = 60;
    smacks_max_old_sessions = 1;

    VirtualHost "meet.example.com"
        authentication = "token" -- do not delete me
        app_id = "example_app"
        app_secret = "0f3c9a5e7b1d2f4a6c8e0b2d4f6a8c0e"
        ssl = {
            key = "/etc/prosody/certs/meet.example.com.key";
            certificate = "/etc/prosody/certs/meet.example.com.crt";
        }
        av_moderation_component = "avmoderation.meet.example.com"
        speakerstats_component = "speakerstats.meet.example.com"
        end_conference_component = "endconference.meet.example.com"
        modules_enabled = {
            "bosh";
            "websocket";
            "smacks";
            "pubsub";
            "ping";
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
        lobby_muc = "lobby.meet.example.com"
        breakout_rooms_muc = "breakout.meet.example.com"
        room_metadata_component = "metadata.meet.example.com"
        main_muc = "conference.meet.example.com"

    Component "conference.meet.example.com" "muc"
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
        admins = { "focus@auth.meet.example.com" }
        muc_password_whitelist = {
            "focus@auth.meet.example.com"
        }
        muc_room_locking = false
        muc_room_default_public_jids = true

    Component "breakout.meet.example.com" "muc"
        restrict_room_creation = true
        storage = "memory"
        modules_enabled = {
            "muc_hide_all";
            "muc_meeting_id";
            "muc_domain_mapper";
            "muc_rate_limit";
            "polls";
        }
        admins = { "focus@auth.meet.example.com" }
        muc_room_locking = false
        muc_room_default_public_jids = true

    Component "internal.auth.meet.example.com" "muc"
        storage = "memory"
        modules_enabled = {
            "muc_hide_all";
            "ping";
        }
        admins = { "focus@auth.meet.example.com", "jvb@auth.meet.example.com" }
        muc_room_locking = false
        muc_room_default_public_jids = true

    VirtualHost "auth.meet.example.com"
        ssl = {
            key = "/etc/prosody/certs/auth.meet.example.com.key";
            certificate = "/etc/prosody/certs/auth.meet.example.com.crt";
        }
        modules_enabled = {
            "limits_exception";
            "smacks";
        }
        authentication = "internal_hashed"
        smacks_hibernation_time = 15;

    Component "focus.meet.example.com" "client_proxy"
        target_address = "focus@auth.meet.example.com"

    Component "speakerstats.meet.example.com" "speakerstats_component"
        muc_component = "conference.meet.example.com"

    Component "endconference.meet.example.com" "end_conference"
        muc_component = "conference.meet.example.com"

    Component "avmoderation.meet.example.com" "av_moderation_component"
        muc_component = "conference.meet.example.com"

    Component "lobby.meet.example.com" "muc"
        storage = "memory"
        restrict_room_creation = true
        muc_room_locking = false
        muc_room_default_public_jids = true
        modules_enabled = {
            "muc_hide_all";
            "muc_rate_limit";
            "polls";
        }

    Component "metadata.meet.example.com" "room_metadata_component"
        muc_component = "conference.meet.example.com"
        breakout_rooms_component = "breakout.meet.example.com"
    """

    /// The same template without tokens (design a).
    static var debianAnonymous: String {
        debianTokens
            .replacingOccurrences(of: "authentication = \"token\" -- do not delete me",
                                  with: "authentication = \"jitsi-anonymous\" -- do not delete me")
            .replacingOccurrences(of: "    app_id = \"example_app\"\n", with: "")
            .replacingOccurrences(of: "    app_secret = \"0f3c9a5e7b1d2f4a6c8e0b2d4f6a8c0e\"\n", with: "")
            .replacingOccurrences(of: "        \"token_verification\";\n", with: "")
    }

    /// docker-jitsi-meet with ENABLE_AUTH=1 AUTH_TYPE=jwt ENABLE_GUESTS=1 (design d1).
    static let dockerJWTGuests = """
    plugin_paths = { "/prosody-plugins/", "/prosody-plugins-custom" }
    muc_mapper_domain_base = "meet.jitsi";
    muc_mapper_domain_prefix = "muc";
    consider_bosh_secure = true;
    consider_websocket_secure = true;
    asap_accepted_issuers = { "jitsi" }
    asap_accepted_audiences = { "jitsi" }

    VirtualHost "meet.jitsi"
        authentication = "token"
        app_id = "jitsi"
        app_secret = "7d1e4b9a2c6f0e3d8b5a1c7e9f2d4b6a"
        allow_empty_token = false
        enable_domain_verification = false
        modules_enabled = {
            "bosh";
            "websocket";
            "smacks";
            "speakerstats";
            "conference_duration";
            "muc_lobby_rooms";
            "muc_breakout_rooms";
            "av_moderation";
        }
        main_muc = "muc.meet.jitsi"
        lobby_muc = "lobby.meet.jitsi"
        breakout_rooms_muc = "breakout.meet.jitsi"
        speakerstats_component = "speakerstats.meet.jitsi"
        conference_duration_component = "conferenceduration.meet.jitsi"
        av_moderation_component = "avmoderation.meet.jitsi"
        c2s_require_encryption = false

    VirtualHost "guest.meet.jitsi"
        authentication = "jitsi-anonymous"
        c2s_require_encryption = false
        main_muc = "muc.meet.jitsi"
        lobby_muc = "lobby.meet.jitsi"
        breakout_rooms_muc = "breakout.meet.jitsi"

    VirtualHost "auth.meet.jitsi"
        authentication = "internal_hashed"
        modules_enabled = { "limits_exception"; }

    VirtualHost "recorder.meet.jitsi"
        modules_enabled = { "smacks"; }
        authentication = "internal_hashed"

    Component "internal-muc.meet.jitsi" "muc"
        modules_enabled = { "muc_hide_all"; "ping"; }
        restrict_room_creation = true
        admins = { "focus@auth.meet.jitsi", "jvb@auth.meet.jitsi" }

    Component "muc.meet.jitsi" "muc"
        restrict_room_creation = true
        modules_enabled = {
            "muc_hide_all";
            "muc_meeting_id";
            "muc_domain_mapper";
            "muc_password_whitelist";
            "token_verification";
            "polls";
            "muc_rate_limit";
        }
        admins = { "focus@auth.meet.jitsi" }
        muc_password_whitelist = { "focus@auth.meet.jitsi" }

    Component "focus.meet.jitsi" "client_proxy"
        target_address = "focus@auth.meet.jitsi"

    Component "speakerstats.meet.jitsi" "speakerstats_component"
        muc_component = "muc.meet.jitsi"

    Component "conferenceduration.meet.jitsi" "conference_duration_component"
        muc_component = "muc.meet.jitsi"

    Component "avmoderation.meet.jitsi" "av_moderation_component"
        muc_component = "muc.meet.jitsi"

    Component "lobby.meet.jitsi" "muc"
        restrict_room_creation = true
        modules_enabled = { "muc_hide_all"; "muc_rate_limit"; }

    Component "breakout.meet.jitsi" "muc"
        restrict_room_creation = true
        modules_enabled = { "muc_hide_all"; "muc_meeting_id"; "muc_domain_mapper"; "muc_rate_limit"; "polls"; }
    """
}
