/// Where a jicofo setting came from.
public enum JicofoSource: String, Sendable, Hashable {
    /// `jicofo.conf` (HOCON).
    case hocon
    /// `sip-communicator.properties` (legacy keys, still read by jicofo and read first).
    case properties
    /// The shell env file `/etc/jitsi/jicofo/config` (Debian, before 2022-10).
    case environment
}

/// A jicofo setting with the file and line it was read from.
public struct JicofoSetting: Sendable, Hashable {
    public var value: String
    public var file: String
    public var line: Int
    public var source: JicofoSource
    /// The key as written (`jicofo.authentication.login-url`, `org.jitsi.jicofo.auth.URL`).
    public var key: String
    public init(value: String, file: String, line: Int, source: JicofoSource, key: String) {
        self.value = value
        self.file = file
        self.line = line
        self.source = source
        self.key = key
    }
}

/// Jicofo's conference-creation authentication (`jicofo.authentication` or
/// `org.jitsi.jicofo.auth.URL`). When enabled, jicofo lets only users whose JID
/// domain equals `loginURL` create conferences, and makes every one of them owner.
public struct JicofoAuthentication: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case xmpp = "XMPP"
        case jwt = "JWT"
        case shibboleth = "SHIBBOLETH"
        case none = "NONE"
        case other
    }

    public var enabled: Bool
    public var kind: Kind
    /// The type as written (`EXT_JWT`, `JWT`, `XMPP`...).
    public var typeText: String?
    /// The main XMPP domain (not a URL), as configured.
    public var loginURL: String?
    /// The setting that enabled it (the `enabled` line, or the legacy URL line).
    public var origin: JicofoSetting?
    /// The line holding the login domain.
    public var loginURLSetting: JicofoSetting?

    public init(enabled: Bool, kind: Kind, typeText: String?, loginURL: String?, origin: JicofoSetting?,
                loginURLSetting: JicofoSetting?) {
        self.enabled = enabled
        self.kind = kind
        self.typeText = typeText
        self.loginURL = loginURL
        self.origin = origin
        self.loginURLSetting = loginURLSetting
    }

    static func kind(_ text: String) -> Kind {
        switch text.uppercased() {
        case "XMPP": .xmpp
        case "JWT", "EXT_JWT": .jwt
        case "SHIBBOLETH", "SHIB": .shibboleth
        case "NONE": .none
        default: .other
        }
    }

    /// Legacy properties win when they set `org.jitsi.jicofo.auth.URL` (jicofo reads
    /// the legacy key first); otherwise `jicofo.authentication.*` from HOCON; nil when neither says anything.
    public static func derive(hocon: HOCONDocument?, hoconPath: String?,
                              properties: PropertiesDocument?, propertiesPath: String?) -> JicofoAuthentication? {
        if let properties, let entry = properties["org.jitsi.jicofo.auth.URL"] {
            let raw = entry.value.trimmingQuotes
            let setting = JicofoSetting(value: raw, file: propertiesPath ?? "sip-communicator.properties",
                                        line: entry.line, source: .properties, key: entry.key)
            guard !raw.isEmpty else {
                return JicofoAuthentication(enabled: false, kind: .none, typeText: nil, loginURL: nil,
                                            origin: setting, loginURLSetting: nil)
            }
            var type = "XMPP"
            var domain = raw
            if let colon = raw.firstIndex(of: ":") {
                type = String(raw[..<colon])
                domain = String(raw[raw.index(after: colon)...])
            }
            return JicofoAuthentication(enabled: true, kind: kind(type), typeText: type, loginURL: domain,
                                        origin: setting, loginURLSetting: setting)
        }
        guard let hocon, hocon.hasObject("jicofo.authentication") else { return nil }
        let file = hoconPath ?? "jicofo.conf"
        func setting(_ key: String) -> JicofoSetting? {
            guard let entry = hocon["jicofo.authentication." + key] else { return nil }
            return JicofoSetting(value: entry.value.text, file: file, line: entry.line, source: .hocon, key: entry.key)
        }
        let enabledEntry = hocon["jicofo.authentication.enabled"]
        let enabled = enabledEntry?.value.boolValue ?? false
        let type = setting("type")
        let login = setting("login-url")
        let origin = setting("enabled") ?? hocon.objects["jicofo.authentication"].map {
            JicofoSetting(value: "", file: file, line: $0, source: .hocon, key: "jicofo.authentication")
        }
        return JicofoAuthentication(enabled: enabled, kind: type.map { kind($0.value) } ?? .none,
                                    typeText: type?.value, loginURL: login?.value, origin: origin,
                                    loginURLSetting: login)
    }
}

/// What the diagnosis reads from jicofo's files.
public struct JicofoSettings: Sendable, Hashable {
    public var hoconPath: String?
    public var propertiesPath: String?
    public var authentication: JicofoAuthentication?
    /// `jicofo.conference.enable-auto-owner` / inverted `org.jitsi.jicofo.DISABLE_AUTO_OWNER`; nil = default (true).
    public var autoOwner: JicofoSetting?
    public var autoOwnerEnabled: Bool
    /// `jicofo.xmpp.client.domain` / legacy `org.jitsi.jicofo.auth...`: the domain focus logs into.
    public var clientDomain: JicofoSetting?
    /// `jicofo.xmpp.client.xmpp-domain`.
    public var xmppDomain: JicofoSetting?

    /// `environment` is the legacy shell env file `/etc/jitsi/jicofo/config` (`JICOFO_AUTH_DOMAIN`
    /// names focus's domain there before jicofo.conf held the XMPP client settings).
    public init(hocon: HOCONDocument?, hoconPath: String?, properties: PropertiesDocument?, propertiesPath: String?,
                environment: PropertiesDocument? = nil, environmentPath: String? = nil) {
        self.hoconPath = hocon == nil ? nil : hoconPath
        self.propertiesPath = properties == nil ? nil : propertiesPath
        authentication = JicofoAuthentication.derive(hocon: hocon, hoconPath: hoconPath,
                                                     properties: properties, propertiesPath: propertiesPath)
        autoOwnerEnabled = true
        if let entry = properties?["org.jitsi.jicofo.DISABLE_AUTO_OWNER"] {
            autoOwner = JicofoSetting(value: entry.value, file: propertiesPath ?? "sip-communicator.properties",
                                      line: entry.line, source: .properties, key: entry.key)
            autoOwnerEnabled = entry.value.trimmingQuotes.lowercased() != "true"
        } else if let entry = hocon?["jicofo.conference.enable-auto-owner"] {
            autoOwner = JicofoSetting(value: entry.value.text, file: hoconPath ?? "jicofo.conf",
                                      line: entry.line, source: .hocon, key: entry.key)
            autoOwnerEnabled = entry.value.boolValue ?? true
        }
        func hoconSetting(_ key: String) -> JicofoSetting? {
            guard let entry = hocon?[key] else { return nil }
            return JicofoSetting(value: entry.value.text, file: hoconPath ?? "jicofo.conf", line: entry.line,
                                 source: .hocon, key: key)
        }
        clientDomain = hoconSetting("jicofo.xmpp.client.domain")
        if clientDomain == nil, let entry = environment?["JICOFO_AUTH_DOMAIN"] {
            clientDomain = JicofoSetting(value: entry.value.trimmingQuotes, file: environmentPath ?? "config", line: entry.line,
                                         source: .environment, key: entry.key)
        }
        xmppDomain = hoconSetting("jicofo.xmpp.client.xmpp-domain")
    }
}

extension String {
    var trimmingQuotes: String {
        let t = trimmingSpaces
        if t.count >= 2, let f = t.first, let l = t.last, f == l, f == "\"" || f == "'" {
            return String(t.dropFirst().dropLast())
        }
        return t
    }
}
