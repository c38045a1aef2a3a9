muc_mapper_domain_base = "meet.school.example"
consider_bosh_secure = true

VirtualHost "meet.school.example"
    authentication = "token"
    app_id = "school_meet"
    app_secret = "Sup3rS3cretSigningKey-0123456789"
    allow_empty_token = true
    modules_enabled = {
        "bosh";
        "pubsub";
        "ping";
        "speakerstats";
        "conference_duration";
    }
    c2s_require_encryption = false
    main_muc = "conference.meet.school.example"

VirtualHost "guest.meet.school.example"
    authentication = "token"
    app_id = "school_meet"
    app_secret = "Sup3rS3cretSigningKey-0123456789"
    allow_empty_token = true
    c2s_require_encryption = false

Component "conference.meet.school.example" "muc"
    restrict_room_creation = true
    storage = "memory"
    modules_enabled = {
        "muc_meeting_id";
        "muc_domain_mapper";
        "token_verification";
    }
    admins = { "focus@auth.meet.school.example" }
    muc_room_locking = false
    muc_room_default_public_jids = true

VirtualHost "auth.meet.school.example"
    authentication = "internal_hashed"

Component "internal.auth.meet.school.example" "muc"
    storage = "memory"
    modules_enabled = { "ping"; }
    admins = { "focus@auth.meet.school.example", "jvb@auth.meet.school.example" }
    muc_room_locking = false
    muc_room_default_public_jids = true

Component "focus.meet.school.example" "client_proxy"
    target_address = "focus@auth.meet.school.example"
