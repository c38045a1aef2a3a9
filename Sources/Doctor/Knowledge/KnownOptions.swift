/// Option names prosody-doctor knows, for the unknown-option (typo) check, and the
/// option lists `prosodyctl check config` uses (research §2.3).
///
/// The core names were collected from the options Prosody 0.12/13 modules and core
/// read; the community and Jitsi names from prosody-modules and Jitsi Meet's plugins
/// as they appear in real deployments. Network options (`*_ports`, `*_interfaces`,
/// `*_ssl`) are recognised by pattern, like portmanager does.
public enum KnownOptions {
    /// Options read by Prosody itself (core and bundled modules), 0.11 to 13.
    public static let core: [String] = [
        // core / configmanager / startup
        "admins", "authentication", "authorization", "certificate", "certificates", "component_module",
        "component_secret", "data_path", "default_storage", "enabled", "external_addresses", "gc",
        "installer_plugin_path", "interface", "interfaces", "local_interfaces", "log", "modules_disabled",
        "modules_enabled", "network_backend", "network_default_read_size", "network_settings", "pidfile",
        "plugin_paths", "plugin_server", "prosody_group", "prosody_user", "prosodyctl_timeout", "run_as_root",
        "ssl", "ssl_compression", "storage", "sql", "sql_manage_tables", "syslog_facility", "tls_profile",
        "umask", "use_dane", "use_ipv4", "use_ipv6", "connectivity_probe", "statistics", "statistics_config",
        "statistics_interval", "debug", "name", "unbound", "ports", "ssl_ports", "component_conflict_resolve",
        "conflict_resolve", "force_module_reload", "error_library", "trusted_proxies", "unlimited_jids",
        "validate_from_addresses", "limits", "limits_resolution", "tcp_keepalives", "multiplex_buffer_size",
        "use_libunbound", "http_default_host", "disco_items", "disco_expose_admins", "contact_info",
        "hide_os_type", "os_version_command", "motd_jid", "motd_text", "welcome_message", "realm",
        "password_hash", "default_iteration_count", "groups_file", "mime_types_file", "console_banner",
        "console_prettyprint_settings", "admin_shell_prompt", "admin_socket", "external_service_access",
        "external_service_host", "external_service_port", "external_service_secret", "external_service_ttl",
        "external_services", "daemonize",
        // c2s / s2s / saslauth / tls
        "allow_anonymous_s2s", "allow_unencrypted_plain_auth", "c2s_close_timeout", "c2s_max_child_elements",
        "c2s_require_encryption", "c2s_stanza_size_limit", "c2s_tcp_keepalives", "c2s_timeout",
        "c2s_unauthed_stanza_size_limit", "component_stanza_size_limit", "component_tcp_keepalives",
        "disable_sasl_mechanisms", "insecure_sasl_mechanisms", "insecure_open_authentication",
        "s2s_allow_encryption", "s2s_close_timeout", "s2s_insecure_domains", "s2s_max_child_elements",
        "s2s_require_encryption", "s2s_secure_auth", "s2s_secure_domains", "s2s_stanza_size_limit",
        "s2s_tcp_keepalives", "s2s_timeout", "s2s_unauthed_stanza_size_limit", "dialback_secret",
        "tls_channel_binding", "sasl_channel_binding", "ignore_presence_priority",
        // registration
        "allow_registration", "registration_allowlist", "registration_blocklist", "allowlist_registration_only",
        "blocklist_on_registration_throttle_overload", "min_seconds_between_registrations",
        "registration_throttle_cache_size", "registration_throttle_max", "registration_throttle_period",
        "registration_compat", "registration_from", "registration_instructions", "registration_invite_only",
        "registration_notification", "registration_notification_type", "registration_title",
        "registration_watchers", "additional_registration_fields", "allow_user_invites", "allow_contact_invites",
        "allow_user_invites_by_roles", "deny_user_invites_by_roles", "invite_expiry", "invites_page",
        "invites_page_module", "invites_page_external", "allow_unaffiliated_register", "user_tombstone_expiry",
        "tombstone_cache_size",
        // anonymous / ldap / other auth
        "allow_anonymous_storage", "ldap_admin_filter", "ldap_admins", "ldap_base", "ldap_filter", "ldap_mode",
        "ldap_password", "ldap_rootdn", "ldap_scope", "ldap_server", "ldap_tls",
        // storage / archives
        "archive_cleanup_date_cache_size", "archive_expires_after", "archive_store", "default_archive_policy",
        "dont_archive_namespaces", "mam_include_total", "mam_smart_enable", "max_archive_query_results",
        "storage_archive_item_limit", "storage_archive_item_limit_cache_size", "storage_async_check",
        "storage_memory_temporary", "storage_memory_temporary_stores", "max_history_messages",
        // pep / pubsub / bookmarks / vcard / blocklist / csi / smacks
        "autocreate_on_publish", "autocreate_on_subscribe", "expose_publisher", "pep_info_cache_size",
        "pep_max_items", "pep_service_cache_size", "pubsub_max_items", "pubsub_summary_templates",
        "upgrade_legacy_bookmarks", "upgrade_legacy_vcards", "blocklist_cache_size", "csi_important_payloads",
        "csi_queue_size", "csi_resume_inactive_delay", "smacks_enabled_s2s", "smacks_hibernation_time",
        "smacks_max_ack_delay", "smacks_max_inactive_unacked_stanzas", "smacks_max_old_sessions",
        "smacks_max_queue_size", "smacks_max_unacked_stanzas", "smacks_s2s_resend",
        // muc
        "component_admins_as_room_owners", "default_admin_affiliation", "enforce_registered_nickname",
        "muc_log_all_rooms", "muc_log_by_default", "muc_log_cleanup_date_cache_size", "muc_log_expires_after",
        "muc_log_include_total", "muc_log_presences", "muc_max_rooms", "muc_occupant_id",
        "muc_registration_include_form", "muc_room_allow_persistent", "muc_room_allow_public",
        "muc_room_cache_size", "muc_room_default_allow_member_invites", "muc_room_default_change_subject",
        "muc_room_default_history_length", "muc_room_default_language", "muc_room_default_members_only",
        "muc_room_default_moderated", "muc_room_default_persistent", "muc_room_default_presence_broadcast",
        "muc_room_default_public", "muc_room_default_public_jids", "muc_room_lock_timeout", "muc_room_locking",
        "muc_tombstone_expiry", "muc_tombstones", "new_muc_storage_format", "restrict_room_creation",
        "max_history_messages",
        // http / bosh / websocket / files
        "access_control_allow_credentials", "access_control_allow_headers", "access_control_allow_methods",
        "access_control_allow_origins", "access_control_max_age", "bosh_max_inactivity", "bosh_max_polling",
        "bosh_max_wait", "consider_bosh_secure", "consider_websocket_secure", "http_cors_override",
        "http_default_cors_enabled", "http_dir_listing", "http_errors_always_show", "http_errors_default_message",
        "http_errors_detailed", "http_errors_messages", "http_external_url", "http_files_cache_max_file_size",
        "http_files_cache_size", "http_files_dir", "http_host", "http_index_files", "http_max_buffer_size",
        "http_max_content_size", "http_path", "http_paths", "websocket_frame_buffer_limit",
        "websocket_frame_fragment_limit", "websocket_get_response_body", "websocket_get_response_text",
        "http_file_share_secret", "http_file_share_base_url", "http_file_share_size_limit",
        "http_file_share_allowed_file_types", "http_file_share_safe_file_types", "http_file_share_expires_after",
        "http_file_share_daily_quota", "http_file_share_global_quota", "http_file_share_access",
        "openmetrics_allow_cidr", "openmetrics_allow_ips",
        // proxy65 / turn
        "proxy65_acl", "proxy65_address", "proxy65_open_access", "proxy65_port", "turn_external_host",
        "turn_external_port", "turn_external_secret", "turn_external_tcp", "turn_external_tls_port",
        "turn_external_ttl", "turn_external_user",
        // 13: roles and friends
        "host_user_role", "server_user_role", "custom_roles", "add_permissions", "remove_permissions",
        "admin_shell_prompt", "account_cleanup_interval", "user_account_deletion_grace_period",
        "server_info", "server_info_extensions", "flags", "mam_smart_enable",
        // 13.0 / trunk additions
        "advertise_bosh", "advertise_websocket", "bounce_blocked_messages", "cron_check_delay", "cron_initial_delay",
        "cron_spread_factor", "default_provisioned_role", "default_user_role", "http_legacy_x_forwarded",
        "migrate_legacy_blocking", "muc_avatar_advertise_hashes", "muc_hats_compat", "muc_room_default_allow_pm",
        "muc_room_default_always_allow_moderator_pms", "muc_vcard", "parent_host", "public_user_role",
        "register_ibr_default_role", "s2s_send_queue_size", "sqlite_tune", "storage_archive_experimental_fast_delete",
        "strict_deprecate_is_admin", "tls_server_end_point_hash", "token_auth_access_time_granularity",
        "tokenless_grant_ttl", "vcard_store_name", "http_file_share_expires_after",
    ]

    /// Options of prosody-modules (community) and Jitsi Meet's Prosody plugins seen in
    /// real deployments. Not exhaustive: unknown options with a loaded module's prefix
    /// are not reported either.
    public static let community: [String] = [
        // Jitsi Meet
        "main_muc", "lobby_muc", "breakout_rooms_muc", "breakout_rooms_component", "speakerstats_component",
        "conference_duration_component", "end_conference_component", "av_moderation_component",
        "room_metadata_component", "polls_component", "muc_mapper_domain_base", "muc_mapper_domain_prefix",
        "app_id", "app_secret", "allow_empty_token", "asap_key_server", "asap_accepted_issuers",
        "asap_accepted_audiences", "asap_require_room_claim", "enable_domain_verification",
        "token_verification_allowlist", "muc_password_whitelist", "muc_lobby_whitelist", "muc_access_whitelist",
        "muc_filter_whitelist", "smacks_max_hibernated_sessions", "visitors_ignore_list", "always_visitors_enabled",
        "auto_allow_visitor_promotion", "wait_for_host_disable_auto_owners", "muc_max_occupants",
        "muc_max_occupants_ignore_list", "muc_access_whitelist", "recorder_prefixes", "transcriber_prefixes",
        "jibri_recorder_prefixes", "muc_rate_joins", "muc_limit_messages_count", "muc_limit_messages_check_token",
        "rate_limit_cache_size", "rate_limit_whitelist", "rate_limit_whitelist_jids", "rate_limit_whitelist_hosts",
        "rate_limit_timeout", "rate_limit_session_rate", "rate_limit_login_rate", "muc_room_default_config",
        "uvs_base_url", "uvs_auth_token", "uvs_issuer", "uvs_sync_power_levels", "cyrus_application_name",
        "cyrus_service_name", "cyrus_server_fqdn", "cyrus_send_tls_cb", "token_affiliation_jwt_claim",
        "enable_password_waiting_for_host", "disable_auto_owners", "jitsi_default_permissions",
        "muc_prosody_jitsi_version", "shard_name", "region_name", "release_number", "muc_domain",
        "muc_component", "muc_lobby_rooms", "visitors_component", "reservations_api_prefix",
        "reservations_api_timeout", "reservations_api_headers", "reservations_api_retry_count",
        "reservations_api_retry_delay", "reservations_enable_max_occupants", "muc_room_locking",
        "allowners_moderated_subdomains", "allowners_moderated_rooms", "allowner_issuers",
        "jitsi_interaction_ignore_list", "password_preset_jids", "muc_enable_experimental_gc3",
        "hybrid_matrix_token_jwks", "muc_domain_base", "muc_domain_prefix", "external_api_url",
        "wait_for_host", "muc_wait_for_host_component",
        // turncredentials / external services
        "turncredentials", "turncredentials_secret", "turncredentials_host", "turncredentials_port",
        "turncredentials_ttl",
        // prosody-modules
        "http_upload_file_size_limit", "http_upload_expire_after", "http_upload_quota", "http_upload_path",
        "http_upload_external_secret", "http_upload_external_file_size_limit", "http_upload_external_base_url",
        "http_upload_external_protocol", "http_file_share_path", "http_file_share_expire_after",
        "http_file_share_quota", "http_file_share_cors", "limit_auth_period", "limit_auth_max",
        "limit_auth_tarpit_delay", "block_registrations_users", "block_registrations_require",
        "block_registrations_matching", "firewall_scripts", "firewall_experimental_user_marks",
        "e2e_policy_chat", "e2e_policy_muc", "e2e_policy_whitelist", "e2e_policy_message_optional_chat",
        "e2e_policy_message_optional_muc", "e2e_policy_message_required_chat", "e2e_policy_message_required_muc",
        "register_web_template", "register_oob_url", "register_web_url", "captcha_options", "registration_url",
        "registration_text", "registration_delete_grace_period", "onions_tor_all", "onions_only", "onions_map",
        "onions_socks5_host", "onions_socks5_port", "s2sout_override", "s2s_blacklist", "s2s_whitelist",
        "s2s_enable_blackwhitelist", "s2s_keepalive_interval", "conversejs_resources", "conversejs_options",
        "conversejs_tags", "conversejs_cdn", "conversejs_script", "conversejs_css", "conversejs_name",
        "push_notification_with_body", "push_notification_with_sender", "push_notification_important_body",
        "push_max_errors", "push_max_devices", "push_max_hibernation_timeout", "push_keepalive",
        "server_status_basepath", "server_status_show_hosts", "server_status_show_comps", "server_status_json",
        "update_check_interval", "update_check_dns", "update_notify_version_url", "update_notify_support_url",
        "update_notify_message_url", "pubsub_serverinfo_service", "pubsub_serverinfo_publish_user_count",
        "privileged_entities", "oauth2_registration_key", "oauth2_access_token_ttl", "oauth2_refresh_token_ttl",
        "allowed_oauth2_response_types", "allowed_oauth2_grant_types", "log_slow_events_threshold",
        "lua_gc_step_size", "lua_gc_pause", "muc_log_store", "muc_log_compression", "muc_log_folder",
        "muc_local_only", "muc_notifications", "muc_offline_delivery_default", "muc_max_nick_length",
        "muc_event_rate", "muc_burst_factor", "muc_max_archive_query_results", "muc_mam_smart_enable",
        "muc_clear_messages_on_leave", "muc_config_restricted", "muc_default_room_options",
        "send_legacy_offline_messages_to_mam_clients", "default_bookmarks", "auto_register_muc_nickname",
        "invites_register_web", "invites_bootstrap_ttl", "invites_bootstrap_secret", "invites_bootstrap_index",
        "invites_page_supports", "site_name", "site_logo", "site_apps", "webchat_url", "http_status_allow_cidr",
        "http_proxy_secret", "external_auth_protocol", "external_auth_command", "external_auth_timeout",
        "imap_auth_host", "imap_auth_port", "auth_imap_verify_certificate", "auth_append_host",
        "anonymous_strict", "max_connections_per_ip", "max_resources", "password_policy", "csi_waiting_time",
        "filter_words", "stanza_counter_basepath", "isolate_except_domains", "groups_muc_host",
        "group_default_name", "http_upload_allowed_file_types", "account_activity", "unrestricted_node_creation",
        "tls_policy", "mam_enabled", "message_archiving_timeout", "welcome_message", "s2s_secure_path",
        "talky_core_auth_url", "talky_core_api_key", "talky_core_version", "talky_core_telemetry_url",
        "talky_core_muc_user_info_url", "talky_core_muc_affiliation_url", "talky_core_instance_check_url",
        "talky_core_auth_allow_anonymous", "cloud_notify_priority", "bosh_window", "bosh_session_timeout",
        "bosh_max_requests", "bosh_hold_timeout", "websocket_max_frame_size", "vcard_to_pep",
        "http_openmetrics_allow_ips", "measure_cpu", "include_dir", "sasl_mechanisms",
        "allow_non_roster_messaging", "invites_page_external", "muc_moderation_delay", "pastebin_threshold",
        "pastebin_line_threshold", "pastebin_expire_after", "pastebin_url", "watchdog_timeout",
        "s2s_idle_timeout", "c2s_idle_timeout", "c2s_idle_ping", "motd_sequence", "lastlog_ip_address",
        "mam_archive_compression", "rtbl_services", "anti_spam_services", "spam_reporting_threshold",
        "register_apps", "conversejs_auto_list_rooms", "server_contact_info", "abuse", "admin", "feedback",
        "sales", "security", "support", "target_address", "main_domain", "software_name", "enforce_client_ids",
        "reload_modules", "https_certificate", "https_key", "c2s_direct_tls_certificate", "c2s_direct_tls_key",
        "s2s_direct_tls_certificate", "s2s_direct_tls_key", "legacy_ssl_certificate", "legacy_ssl_key",
        "visitors_ignore_list", "prosody_password_public_key_repo_url", "muc_mapper_log_not_allowed_errors",
    ]

    /// Option-name prefixes that belong to community or Jitsi modules (not reported when
    /// unknown, since their option sets are open-ended).
    public static let communityPrefixes: [String] = [
        "jitsi_", "muc_lobby_", "muc_breakout_", "token_", "asap_", "turncredentials_", "http_upload_",
        "conversejs_", "e2e_policy_", "onions_", "push_", "firewall_", "talky_core_", "uvs_", "cyrus_",
        "ldap_", "sql_", "reservations_", "visitors_", "muc_rate_", "rate_limit_", "limit_auth_",
        "block_registrations_", "server_status_", "update_", "pubsub_serverinfo_", "oauth2_", "register_web_",
        "invites_", "auth_", "cloud_notify_", "pastebin_", "lastlog_", "s2s_auth_", "prometheus_", "matrix_",
    ]

    /// Obsolete options (C5) by release. 0.12.4+ moved the two `cross_domain_*` to the deprecated list.
    public static func obsolete(for release: ProsodyRelease) -> Set<String> {
        var names: Set<String> = ["archive_cleanup_interval", "dns_timeout", "muc_log_cleanup_interval",
                                  "s2s_dns_resolvers", "setgid", "setuid"]
        if release == .v0_11 { names.formUnion(["cross_domain_bosh", "cross_domain_websocket"]) }
        return names
    }

    /// Deprecated options (C6) with their replacement (a human text) and, when it is a plain
    /// rename, the new option name (for an automatic edit).
    public struct Deprecation: Sendable {
        public var advice: String
        public var renameTo: String?
    }

    public static let deprecated: [String: Deprecation] = [
        "anonymous_login": .init(advice: "use authentication = \"anonymous\" instead", renameTo: nil),
        "daemonize": .init(advice: "use the --daemonize/-D or --foreground/-F command-line flags instead", renameTo: nil),
        "no_daemonize": .init(advice: "use the --daemonize/-D or --foreground/-F command-line flags instead", renameTo: nil),
        "disallow_s2s": .init(advice: "add \"s2s\" to modules_disabled instead", renameTo: nil),
        "require_encryption": .init(advice: "use c2s_require_encryption and s2s_require_encryption instead", renameTo: nil),
        "vcard_compatibility": .init(advice: "load mod_compat_vcard from prosody-modules instead", renameTo: nil),
        "use_libevent": .init(advice: "use network_backend = \"event\" instead", renameTo: nil),
        "whitelist_registration_only": .init(advice: "renamed to allowlist_registration_only", renameTo: "allowlist_registration_only"),
        "registration_whitelist": .init(advice: "renamed to registration_allowlist", renameTo: "registration_allowlist"),
        "registration_blacklist": .init(advice: "renamed to registration_blocklist", renameTo: "registration_blocklist"),
        "blacklist_on_registration_throttle_overload": .init(advice: "renamed to blocklist_on_registration_throttle_overload",
                                                             renameTo: "blocklist_on_registration_throttle_overload"),
        "bosh_port": .init(advice: "BOSH is served by the HTTP server: use http_ports instead", renameTo: "http_ports"),
        "bosh_ports": .init(advice: "BOSH is served by the HTTP server: use http_ports instead", renameTo: "http_ports"),
        "bosh_interface": .init(advice: "use http_interfaces instead", renameTo: "http_interfaces"),
        "bosh_interfaces": .init(advice: "use http_interfaces instead", renameTo: "http_interfaces"),
        "bosh_ssl": .init(advice: "use http_ssl instead", renameTo: "http_ssl"),
        "legacy_ssl_port": .init(advice: "use c2s_direct_tls_ports instead", renameTo: "c2s_direct_tls_ports"),
        "legacy_ssl_ports": .init(advice: "use c2s_direct_tls_ports instead", renameTo: "c2s_direct_tls_ports"),
        "legacy_ssl_interface": .init(advice: "use c2s_direct_tls_interfaces instead", renameTo: "c2s_direct_tls_interfaces"),
        "legacy_ssl_interfaces": .init(advice: "use c2s_direct_tls_interfaces instead", renameTo: "c2s_direct_tls_interfaces"),
        "legacy_ssl_ssl": .init(advice: "use c2s_direct_tls_ssl instead", renameTo: "c2s_direct_tls_ssl"),
        "cross_domain_bosh": .init(advice: "use http_cors_override instead (https://prosody.im/doc/http#cross-domain-cors-support)", renameTo: nil),
        "cross_domain_websocket": .init(advice: "use http_cors_override instead (https://prosody.im/doc/http#cross-domain-cors-support)", renameTo: nil),
    ]

    /// Deprecated names by release: the `cross_domain_*` pair is obsolete (not deprecated) before 0.12.4;
    /// we treat 0.12 as 0.12.4+, whose advice is the useful one.
    public static func isDeprecated(_ name: String, in release: ProsodyRelease) -> Bool {
        guard deprecated[name] != nil else { return false }
        return release != .v0_11 || (name != "cross_domain_bosh" && name != "cross_domain_websocket")
    }

    /// The 68 options `prosodyctl check config` insists on seeing in the global section (C7).
    public static let globalOnly: [String] = [
        "access_control_allow_credentials", "access_control_allow_headers", "access_control_allow_methods",
        "access_control_max_age", "admin_socket", "body_size_limit", "bosh_max_inactivity", "bosh_max_polling",
        "bosh_max_wait", "buffer_size_limit", "c2s_close_timeout", "c2s_stanza_size_limit", "c2s_tcp_keepalives",
        "c2s_timeout", "component_stanza_size_limit", "component_tcp_keepalives", "consider_bosh_secure",
        "consider_websocket_secure", "console_banner", "console_prettyprint_settings", "daemonize", "gc",
        "http_default_host", "http_errors_always_show", "http_errors_default_message", "http_errors_detailed",
        "http_errors_messages", "http_max_buffer_size", "http_max_content_size", "installer_plugin_path",
        "limits", "limits_resolution", "log", "multiplex_buffer_size", "network_backend",
        "network_default_read_size", "network_settings", "openmetrics_allow_cidr", "openmetrics_allow_ips",
        "pidfile", "plugin_paths", "plugin_server", "prosodyctl_timeout", "prosody_group", "prosody_user",
        "run_as_root", "s2s_close_timeout", "s2s_insecure_domains", "s2s_require_encryption", "s2s_secure_auth",
        "s2s_secure_domains", "s2s_stanza_size_limit", "s2s_tcp_keepalives", "s2s_timeout", "statistics",
        "statistics_config", "statistics_interval", "tcp_keepalives", "tls_profile", "trusted_proxies", "umask",
        "use_dane", "use_ipv4", "use_ipv6", "websocket_frame_buffer_limit", "websocket_frame_fragment_limit",
        "websocket_get_response_body", "websocket_get_response_text",
    ]

    /// True when prosodyctl treats `name` as global-only: the list, or the network-name
    /// patterns (`^interfaces?`, `_ports?$`, `_interfaces?$`, `_ssl$` but not c2s_ssl/s2s_ssl).
    public static func isGlobalOnly(_ name: String) -> Bool {
        if name == "external_service_port" || name == "turn_external_port" { return false }
        if globalOnlyTable.contains(name) { return true }
        return isNetworkOption(name)
    }

    /// portmanager-style names: `interface...`, `*_port(s)`, `*_interface(s)`, `*_ssl` (not c2s/s2s).
    public static func isNetworkOption(_ name: String) -> Bool {
        if name.hasPrefix("interface") { return true }
        if name.hasSuffix("_port") || name.hasSuffix("_ports") { return true }
        if name.hasSuffix("_interface") || name.hasSuffix("_interfaces") { return true }
        if name.hasSuffix("_ssl") && name != "c2s_ssl" && name != "s2s_ssl" { return true }
        return false
    }

    public static var all: Set<String> {
        Set(allNames.names)
    }

    private static let globalOnlyTable = NameTable([globalOnly])

    /// Every list a known name comes from, in table order (set and dictionary keys sorted, so
    /// that the order is the same in every process).
    static var knownNameLists: [[String]] {
        [core, community, prosodyModulesOptions, globalOnly, deprecated.keys.sorted(), obsolete(for: .v0_11).sorted(),
         networkOptionNames]
    }

    /// Every known name in one table (a name in several lists is kept once), laid out ahead
    /// of time in `KnownOptionIndex` (a test checks it against `knownNameLists`).
    private static let allNames = NameTable(names: KnownOptionIndex.names, slots: KnownOptionIndex.slots)

    private static let networkOptionNames: [String] = [
        "c2s_ssl", "s2s_ssl", "component_ports", "c2s_ports", "s2s_ports", "http_ports", "https_ports",
        "c2s_direct_tls_ports", "s2s_direct_tls_ports", "http_interfaces", "https_interfaces",
        "https_ssl", "http_ssl", "c2s_direct_tls_ssl", "s2s_direct_tls_ssl", "c2s_interfaces",
        "s2s_interfaces", "component_interfaces", "console_ports", "console_interfaces",
        "proxy65_ports", "proxy65_interfaces", "legacy_ssl_ports",
    ]

    /// True when `name` is a known option, a network option, or belongs to a module that
    /// the configuration loads (`<module>_...`) or to a community module family.
    public static func isKnown(_ name: String) -> Bool {
        allNames.contains(name) || isNetworkOption(name)
    }

    public static func belongsToModule(_ name: String, loadedModules: Set<String>) -> Bool {
        if communityPrefixes.contains(where: { name.hasPrefix($0) }) { return true }
        if loadedModules.contains(name) && name.count >= 3 { return true }
        // `<module>_...`: the part before each `_` is a candidate module name. A match of the
        // bytes is confirmed with `hasPrefix`, which compares Characters (as the plain scan
        // over every module name did).
        let bytes = Array(name.utf8)
        for index in bytes.indices where bytes[index] == UInt8(ascii: "_") {
            let module = String(decoding: bytes[..<index], as: UTF8.self)
            let known = module.count >= 4 && prosodyModulesNameTable.contains(module)
            let loaded = module.count >= 3 && loadedModules.contains(module)
            if (known || loaded) && name.hasPrefix(module + "_") { return true }
        }
        return false
    }

    private static let prosodyModulesNameTable = NameTable([prosodyModulesNames])

    /// A set of byte classes (letters, digits, each their own; everything else shares a few)
    /// with `_` left out. An edit changes one byte of each side, so two strings whose sets
    /// differ by more than `limit` classes on either side are more than `limit` edits
    /// apart: most known names are ruled out by two popcounts instead of a distance table.
    static func byteClasses<Bytes: Sequence>(_ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
        var classes: UInt64 = 0
        for byte in bytes where byte != UInt8(ascii: "_") { classes |= byteClass(byte) }
        return classes
    }

    static func byteClass(_ byte: UInt8) -> UInt64 {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return 1 << UInt64(byte - UInt8(ascii: "a"))
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return 1 << (26 + UInt64(byte - UInt8(ascii: "A")))
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return 1 << (52 + UInt64(byte - UInt8(ascii: "0")))
        case 0x80...: return 1 << 63
        default: return 1 << 62
        }
    }

    /// True when the class sets alone show the strings are more than `limit` edits apart.
    private static func classesRuleOut(_ a: UInt64, _ b: UInt64, limit: Int) -> Bool {
        (a & ~b).nonzeroBitCount > limit || (b & ~a).nonzeroBitCount > limit
    }

    /// `withoutUnderscores(name) == squashed` for ASCII `name` and `squashed`, on bytes.
    private static func equalsWithoutUnderscores(_ name: String, _ squashed: [UInt8]) -> Bool {
        var index = 0
        for byte in name.utf8 where byte != UInt8(ascii: "_") {
            guard index < squashed.count, squashed[index] == byte else { return false }
            index += 1
        }
        return index == squashed.count
    }

    /// ASCII names drop `_` bytewise (what `replacingOccurrences` gives them, without Foundation).
    private static func withoutUnderscores(_ name: String) -> String {
        name.utf8.allSatisfy({ $0 < 0x80 })
            ? String(decoding: name.utf8.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
            : name.replacingOccurrences(of: "_", with: "")
    }

    /// The closest known option for a probable typo, or nil. Accepts an edit distance of 1
    /// for names of 4–7 characters and 2 for longer names (transpositions count as 1).
    public static func suggestion(for name: String) -> String? {
        if let alias = aliases[name] { return alias }
        let length = name.count
        guard length >= 4 else { return nil }
        let limit = length >= 8 ? 2 : 1
        let classes = byteClasses(name.utf8)
        // The nearest name; between equally near ones, the first in sorted order.
        var best: (name: String, distance: Int)?
        // Every known name is ASCII: its length in characters is its byte count.
        let names = KnownOptionIndex.names, lengths = KnownOptionIndex.lengths, nameClasses = KnownOptionIndex.classes
        for index in names.indices where abs(Int(lengths[index]) - length) <= limit {
            if classesRuleOut(classes, nameClasses[index], limit: limit) { continue }
            let d = EditDistance.damerauLevenshtein(name, names[index], within: limit)
            guard d <= limit else { continue }
            if let current = best, current.distance < d || (current.distance == d && current.name < names[index]) { continue }
            best = (names[index], d)
        }
        if let best { return best.name }
        // Swapped words (`plugins_path` for `plugin_paths`), or a missing/extra underscore:
        // the first such name in sorted order.
        let squashed = withoutUnderscores(name)
        let squashedCount = squashed.count
        let squashedBytes = Array(squashed.utf8)
        let squashedIsASCII = squashedBytes.allSatisfy { $0 < 0x80 }
        let squashedClasses = byteClasses(squashedBytes)
        let words = Set(name.split(separator: "_").map { $0.hasSuffix("s") ? String($0.dropLast()) : String($0) })
        var first: String?
        let squashedLengths = KnownOptionIndex.squashedLengths
        for index in names.indices {
            let candidate = names[index]
            if let found = first, found < candidate { continue }
            // ASCII on both sides: equal squashed forms have equal lengths and classes.
            let equal = squashedIsASCII
                ? Int(squashedLengths[index]) == squashedCount && nameClasses[index] == squashedClasses
                    && equalsWithoutUnderscores(candidate, squashedBytes)
                : withoutUnderscores(candidate) == squashed
            if equal {
                first = candidate
            } else if length >= 8, abs(Int(squashedLengths[index]) - squashedCount) <= 2,
               !classesRuleOut(squashedClasses, nameClasses[index], limit: 2),
               EditDistance.damerauLevenshtein(squashed, withoutUnderscores(candidate), within: 2) <= 2,
               Set(candidate.split(separator: "_").map { $0.hasSuffix("s") ? String($0.dropLast()) : String($0) }) == words {
                first = candidate
            }
        }
        return first
    }
}

extension KnownOptions {
    /// Names people write for an option that Prosody spells differently (too far apart for
    /// the edit distance).
    static let aliases: [String: String] = [
        "user": "prosody_user", "group": "prosody_group", "pid_file": "pidfile", "setuser": "prosody_user",
        "plugin_dir": "plugin_paths", "plugins_dir": "plugin_paths", "module_paths": "plugin_paths",
        "admin_jids": "admins",
    ]
}

public enum EditDistance {
    /// Optimal-string-alignment distance; stops early (returns limit + 1) past `limit`.
    public static func damerauLevenshtein(_ a: String, _ b: String, limit: Int = .max) -> Int {
        let x = Array(a.utf8), y = Array(b.utf8)
        // No distance exceeds the longer length: a band that wide is the whole table.
        return bandedDistance(x, y, limit: min(limit, max(x.count, y.count)))
    }

    /// For callers that only ask "within `limit`?": the distance is at least the difference
    /// in length, so pairs further apart than that are answered (limit + 1) without a table.
    /// Reads both strings' UTF-8 in place (no copies) when they are native.
    static func damerauLevenshtein(_ a: String, _ b: String, within limit: Int) -> Int {
        if abs(a.utf8.count - b.utf8.count) > limit { return limit + 1 }
        let inPlace = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y in bandedDistance(x, y, limit: limit) }
        }
        return (inPlace ?? nil) ?? bandedDistance(Array(a.utf8), Array(b.utf8), limit: limit)
    }

    /// `distance` computed only near the diagonal: a cell (i, j) is at least |i - j| away, so
    /// cells further than `limit` from the diagonal are set to limit + 1 instead. A path
    /// within `limit` never leaves the band, so a result within `limit` is exact, and one
    /// past it stays past it.
    private static func bandedDistance<Bytes: RandomAccessCollection>(_ x: Bytes, _ y: Bytes, limit: Int) -> Int
    where Bytes.Element == UInt8, Bytes.Index == Int {
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        let cap = limit + 1
        let width = y.count + 1
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * width) { rows in
            var previousPrevious = rows.baseAddress!
            var previous = previousPrevious + width
            var current = previous + width
            for j in 0..<width { previousPrevious[j] = cap; previous[j] = min(j, cap); current[j] = cap }
            for i in 1...x.count {
                current[0] = min(i, cap)
                var rowMinimum = current[0]
                for j in 1...y.count {
                    if abs(i - j) > limit {
                        current[j] = cap
                        continue
                    }
                    let cost = x[i - 1] == y[j - 1] ? 0 : 1
                    var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                    if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                        value = min(value, previousPrevious[j - 2] + 1)
                    }
                    current[j] = value
                    rowMinimum = min(rowMinimum, value)
                }
                if rowMinimum > limit { return cap }
                (previousPrevious, previous, current) = (previous, current, previousPrevious)
            }
            return min(previous[y.count], cap)
        }
    }
}
