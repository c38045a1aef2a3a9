import ProsodyConfig

/// Facts about a Jitsi Meet layout read off the config model.
public enum JitsiDeployment {
    /// Jitsi configs load Jitsi's plugin directory or its characteristic components.
    public static func looksLikeJitsi(_ configuration: ProsodyConfiguration) -> Bool {
        let pluginPaths = configuration.global["plugin_paths"]?.stringList ?? []
        if pluginPaths.contains(where: { $0.contains("jitsi") }) { return true }
        let jitsiModules: Set<String> = ["speakerstats_component", "conference_duration_component",
                                         "av_moderation_component", "muc_breakout_rooms", "token_verification",
                                         "muc_domain_mapper", "client_proxy", "muc_lobby_rooms", "jitsi_session"]
        for section in [configuration.global] + configuration.sections {
            if let module = section.componentModule, jitsiModules.contains(module) { return true }
            if (section["modules_enabled"]?.stringList ?? []).contains(where: jitsiModules.contains) { return true }
            if let auth = section["authentication"]?.stringValue, auth == "token" || auth == "jitsi-anonymous" { return true }
        }
        return configuration.sections.contains { $0.name.hasPrefix("focus.") || $0.name.hasPrefix("auth.") && $0.isVirtualHost }
    }
}
