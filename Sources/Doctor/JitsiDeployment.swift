import LuaSyntax
import ProsodyConfig

/// Facts about a Jitsi Meet layout read off the config model.
public enum JitsiDeployment {
    /// Jitsi configs load Jitsi's plugin directory or its characteristic components.
    public static func looksLikeJitsi(_ configuration: ProsodyConfiguration) -> Bool {
        let pluginPaths = configuration.global["plugin_paths"]?.stringList ?? []
        if pluginPaths.contains(where: { ASCIIText.contains("jitsi", in: $0) || ASCIIText.contains("prosody-plugins", in: $0) }) {
            return true
        }
        let jitsiModules: Set<String> = ["speakerstats_component", "conference_duration_component",
                                         "av_moderation_component", "muc_breakout_rooms", "token_verification",
                                         "muc_domain_mapper", "client_proxy", "muc_lobby_rooms", "jitsi_session"]
        func marks(_ section: ConfigSection) -> Bool {
            if let module = section.componentModule, jitsiModules.contains(module) { return true }
            if (section["modules_enabled"]?.stringList ?? []).contains(where: jitsiModules.contains) { return true }
            if let auth = section["authentication"]?.stringValue, auth == "token" || auth == "jitsi-anonymous" { return true }
            return false
        }
        // The global section, then the others (without building `[global] + sections`).
        if marks(configuration.global) { return true }
        for index in configuration.sections.indices where marks(configuration.sections[index]) { return true }
        return configuration.sections.contains { $0.name.hasPrefix("focus.") || $0.name.hasPrefix("auth.") && $0.isVirtualHost }
    }

    /// Options read by Jitsi's Prosody plugins (research jitsi-token-auth §2.1 and the templates),
    /// for option-knowledge rules that must not call them unknown in a Jitsi config.
    public static let knownOptions: Set<String> = [
        // token library / mod_auth_token (token VirtualHost, or global)
        "app_id", "app_secret", "asap_key_server", "cache_keys_url", "signature_algorithm", "allow_empty_token",
        "enable_domain_verification", "asap_accepted_issuers", "asap_accepted_audiences", "asap_require_room_claim",
        "jwt_pubkey_cache_size",
        // outgoing ASAP tokens
        "asap_key_path", "asap_issuer", "asap_audience", "asap_key_id", "asap_ttl", "asap_ttl_threshold",
        // global Jitsi wiring
        "muc_mapper_domain_base", "muc_mapper_domain_prefix", "muc_mapper_domain", "region_header_name",
        // VirtualHost companions
        "main_muc", "lobby_muc", "breakout_rooms_muc", "muc_lobby_whitelist", "speakerstats_component",
        "conference_duration_component", "end_conference_component", "av_moderation_component",
        "room_metadata_component",
        // components
        "muc_component", "target_address", "breakout_rooms_component", "muc_password_whitelist",
        "token_verification_allowlist", "token_verification_require_token_for_moderation",
        "wait_for_host_disable_auto_owners", "allowners_moderated_subdomains", "allowners_moderated_rooms",
        "allowner_issuers", "allowners_disable_revoke_owners", "token_affiliation_log_level", "disable_cascading_set",
        "party_check_timeout",
    ]

    /// The analysed file looks like a part included from a main config (a conf.d-style path, or a
    /// file with no global options): global-only requirements may be met in the main file.
    public static func looksLikeFragment(_ configuration: ProsodyConfiguration) -> Bool {
        let main = configuration.files.last ?? ""
        for marker in ["conf.d", "conf.avail", "sites-enabled", "sites-available"] where main.contains(marker) {
            return true
        }
        return configuration.global.options.allSatisfy { $0.name == "log" }
    }

    // MARK: - Prosody's module selection (prosody-semantics §1.6)

    /// Modules Prosody loads on every host unless disabled (0.12; 13 drops `posix`).
    static let autoloadModules: Set<String> = ["posix", "presence", "message", "iq", "offline", "c2s", "s2s",
                                               "s2s_auth_certs"]
    /// Global modules a Component inherits.
    static let inheritableModules: Set<String> = ["tls", "saslauth", "dialback", "iq", "s2s", "s2s_bidi", "smacks",
                                                  "server_contact_info"]

    /// The modules Prosody's modulemanager loads on a section (global lists, the host's own
    /// lists with global fallback, components inheriting only a few global modules).
    public static func modules(of section: ConfigSection, in configuration: ProsodyConfiguration) -> Set<String> {
        let global = configuration.global
        return modules(of: section, global: global,
                       globalEnabled: Set(global["modules_enabled"]?.stringList ?? []),
                       globalDisabled: Set(global["modules_disabled"]?.stringList ?? []))
    }

    static func modules(of section: ConfigSection, global: ConfigSection, globalEnabled: Set<String>,
                        globalDisabled: Set<String>) -> Set<String> {
        if section.isGlobal { return autoloadModules.union(globalEnabled).subtracting(globalDisabled) }
        var inherited = autoloadModules.union(globalEnabled).subtracting(globalDisabled)
        if section.componentModule != nil { inherited.formIntersection(inheritableModules) }
        let hostEnabled = section["modules_enabled"].map { Set($0.stringList ?? []) } ?? globalEnabled
        let hostDisabled = section["modules_disabled"].map { Set($0.stringList ?? []) } ?? globalDisabled
        var result = inherited.union(hostEnabled).subtracting(hostDisabled)
        if let component = section.componentModule, component != "component" { result.insert(component) }
        return result
    }

    /// Where a module got enabled for a section: the section's own `modules_enabled`, else the
    /// global one (only for VirtualHosts, or inheritable modules).
    public static func moduleSource(_ module: String, of section: ConfigSection,
                                    in configuration: ProsodyConfiguration) -> ConfigOption? {
        if let own = section.option("modules_enabled"), own.value.stringList?.contains(module) == true { return own }
        if let global = configuration.global.option("modules_enabled"), global.value.stringList?.contains(module) == true,
           section.componentModule == nil || inheritableModules.contains(module) {
            return global
        }
        return nil
    }

    // MARK: - Hosts and MUCs

    /// The host mod_token_verification reads its options from: the component name without its
    /// first label, where the first label is a run of alphanumerics and exactly one character
    /// (normally the dot) is skipped after it. nil when the name does not start that way.
    public static func parentHost(of name: String) -> String? {
        let scalars = Array(name.unicodeScalars)
        var index = 0
        while index < scalars.count, isAlphanumeric(scalars[index]) { index += 1 }
        guard index > 0, index + 1 < scalars.count else { return nil }
        var rest = String.UnicodeScalarView()
        rest.append(contentsOf: scalars[(index + 1)...])
        return String(rest)
    }

    /// Whether the first label is made only of letters and digits (so the parent is the rest after the dot).
    public static func firstLabelIsAlphanumeric(_ name: String) -> Bool {
        guard let dot = name.firstIndex(of: ".") else { return false }
        let label = name[..<dot]
        return !label.isEmpty && label.unicodeScalars.allSatisfy(isAlphanumeric)
    }

    static func isAlphanumeric(_ s: Unicode.Scalar) -> Bool {
        (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") || (s >= "0" && s <= "9")
    }

    static func firstLabel(_ name: String) -> String {
        String(name.split(separator: ".", maxSplits: 1).first ?? Substring(name))
    }
}

/// A read-only view of the Jitsi roles in one configuration: which host is the token host,
/// which MUC is the conference MUC, which hosts serve guests. Everything is computed once in
/// `init` (linear in the config size), so rules can query it freely on very large configs.
public struct JitsiLayout: Sendable {
    public let configuration: ProsodyConfiguration
    private let sectionsByName: [String: ConfigSection]
    private let moduleSets: [String: Set<String>]
    private let globalEnabled: Set<String>
    private let globalDisabled: Set<String>
    private let lobbyNames: Set<String>
    private let breakoutNames: Set<String>
    private let conferenceMUCsByParent: [String: [ConfigSection]]
    public let tokenHosts: [ConfigSection]
    public let mucComponents: [ConfigSection]
    /// MUC components that hold conferences (not lobby, breakout or the internal brewery).
    public let conferenceMUCs: [ConfigSection]
    /// VirtualHosts that own a conference MUC (one label below them).
    public let hostsWithConferenceMUC: Set<String>
    /// The main conference MUC of the deployment.
    public let mainMUC: ConfigSection?
    /// The VirtualHost the main MUC belongs to (the one users with tokens connect to).
    public let mainHost: ConfigSection?

    public init(_ configuration: ProsodyConfiguration) {
        self.configuration = configuration
        var byName: [String: ConfigSection] = [:]
        var modules: [String: Set<String>] = [:]
        let globalEnabled = Set(configuration.global["modules_enabled"]?.stringList ?? [])
        let globalDisabled = Set(configuration.global["modules_disabled"]?.stringList ?? [])
        for section in configuration.sections {
            if byName[section.name] == nil { byName[section.name] = section }
            // Module sets of components are needed to pick the conference MUC; hosts are computed on demand.
            if section.componentModule != nil, modules[section.name] == nil {
                modules[section.name] = JitsiDeployment.modules(of: section, global: configuration.global,
                                                                globalEnabled: globalEnabled, globalDisabled: globalDisabled)
            }
        }
        self.globalEnabled = globalEnabled
        self.globalDisabled = globalDisabled
        sectionsByName = byName
        moduleSets = modules
        var lobby = Set<String>(), breakout = Set<String>()
        for section in [configuration.global] + configuration.sections {
            if let v = section["lobby_muc"]?.stringValue { lobby.insert(v) }
            if let v = section["breakout_rooms_muc"]?.stringValue { breakout.insert(v) }
        }
        lobbyNames = lobby
        breakoutNames = breakout
        let global = configuration.global
        func auth(_ host: ConfigSection) -> String {
            (host.option("authentication") ?? global.option("authentication"))?.value.stringValue ?? "internal_hashed"
        }
        tokenHosts = configuration.virtualHosts.filter { auth($0) == "token" }
        let mucs = configuration.sections.filter { $0.componentModule == "muc" }
        mucComponents = mucs
        func isCompanion(_ s: ConfigSection) -> Bool {
            let label = JitsiDeployment.firstLabel(s.name)
            return lobby.contains(s.name) || breakout.contains(s.name) || label == "lobby" || label == "breakout"
        }
        let conference = mucs.filter { !isCompanion($0) && !JitsiLayout.isInternalMUCName($0.name) }
        conferenceMUCs = conference
        var byParent: [String: [ConfigSection]] = [:]
        for muc in conference {
            if let parent = JitsiDeployment.parentHost(of: muc.name) { byParent[parent, default: []].append(muc) }
        }
        conferenceMUCsByParent = byParent
        hostsWithConferenceMUC = Set(byParent.keys)

        func conferenceMUC(of host: ConfigSection) -> ConfigSection? {
            if let named = (host.option("main_muc") ?? global.option("main_muc"))?.value.stringValue,
               let muc = byName[named] ?? byName[named.lowercased()], muc.componentModule == "muc" {
                return muc
            }
            let candidates = byParent[host.name] ?? []
            return candidates.first { modules[$0.name]?.contains("token_verification") == true } ?? candidates.first
        }
        func virtualHost(_ name: String) -> ConfigSection? {
            (byName[name] ?? byName[name.lowercased()]).flatMap { $0.isVirtualHost ? $0 : nil }
        }
        var main: ConfigSection? = nil
        if let explicit = global["muc_mapper_domain"]?.stringValue {
            main = conference.first { $0.name == explicit }
        }
        if main == nil, let base = global["muc_mapper_domain_base"]?.stringValue {
            let prefix = global["muc_mapper_domain_prefix"]?.stringValue ?? "conference"
            main = conference.first { $0.name == "\(prefix).\(base)" }
            if main == nil, let host = virtualHost(base) { main = conferenceMUC(of: host) }
        }
        if main == nil {
            for host in tokenHosts {
                if let muc = conferenceMUC(of: host) { main = muc; break }
            }
        }
        if main == nil {
            for host in configuration.virtualHosts {
                if let named = host["main_muc"]?.stringValue, let muc = conference.first(where: { $0.name == named }) {
                    main = muc
                    break
                }
            }
        }
        if main == nil, conference.count == 1 { main = conference.first }
        mainMUC = main
        if let muc = main, let parent = JitsiDeployment.parentHost(of: muc.name), let host = virtualHost(parent) {
            mainHost = host
        } else if let base = global["muc_mapper_domain_base"]?.stringValue, let host = virtualHost(base) {
            mainHost = host
        } else {
            mainHost = tokenHosts.count == 1 ? tokenHosts.first : nil
        }
    }

    public static let tokenOptionNames: [String] = [
        "app_id", "app_secret", "asap_key_server", "cache_keys_url", "signature_algorithm", "allow_empty_token",
        "enable_domain_verification", "asap_accepted_issuers", "asap_accepted_audiences", "asap_require_room_claim",
    ]

    /// Modules that map verified token claims to MUC affiliations/roles.
    public static let tokenRoleModules: Set<String> = ["token_affiliation", "token_affiliation_legacy",
                                                       "token_moderation", "token_owner_party"]

    public func modules(of section: ConfigSection) -> Set<String> {
        moduleSets[section.name] ?? JitsiDeployment.modules(of: section, global: configuration.global,
                                                            globalEnabled: globalEnabled, globalDisabled: globalDisabled)
    }

    public func moduleSource(_ module: String, of section: ConfigSection) -> ConfigOption? {
        JitsiDeployment.moduleSource(module, of: section, in: configuration)
    }

    /// `config.get(host, name)`: the section's value, else the global one.
    public func option(_ name: String, in section: ConfigSection) -> ConfigOption? {
        section.option(name) ?? configuration.global.option(name)
    }

    public func string(_ name: String, in section: ConfigSection) -> String? {
        option(name, in: section)?.value.stringValue
    }

    public func isTrue(_ name: String, in section: ConfigSection) -> Bool {
        option(name, in: section)?.value.isTruthy == true
    }

    /// Marker returned by `authentication(of:)` when the value is not statically known.
    public static let unknownAuthentication = "(not statically known)"

    /// The authentication provider of a VirtualHost (Prosody's default is internal_hashed);
    /// `unknownAuthentication` when it is computed at run time.
    public func authentication(of host: ConfigSection) -> String {
        guard let option = option("authentication", in: host) else { return "internal_hashed" }
        return option.value.stringValue ?? JitsiLayout.unknownAuthentication
    }

    public func authenticationIsKnown(_ host: ConfigSection) -> Bool {
        authentication(of: host) != JitsiLayout.unknownAuthentication
    }

    /// A section by host name; names are nameprepped by Prosody, so case does not matter.
    public func section(_ name: String) -> ConfigSection? { sectionsByName[name] ?? sectionsByName[name.lowercased()] }

    public func virtualHost(_ name: String) -> ConfigSection? {
        section(name).flatMap { $0.isVirtualHost ? $0 : nil }
    }

    public var isFragment: Bool { JitsiDeployment.looksLikeFragment(configuration) }

    /// Lobby and breakout MUCs: named by `lobby_muc` / `breakout_rooms_muc`, or called lobby.* / breakout.*.
    public func isCompanionMUC(_ section: ConfigSection) -> Bool { companionKind(section) != nil }

    public func companionKind(_ section: ConfigSection) -> String? {
        let label = JitsiDeployment.firstLabel(section.name)
        if lobbyNames.contains(section.name) || label == "lobby" { return "lobby" }
        if breakoutNames.contains(section.name) || label == "breakout" { return "breakout" }
        return nil
    }

    /// The jicofo/jvb brewery MUC (internal.auth.D, docker internal-muc.D).
    public func isInternalMUC(_ section: ConfigSection) -> Bool { JitsiLayout.isInternalMUCName(section.name) }

    static func isInternalMUCName(_ name: String) -> Bool {
        let label = JitsiDeployment.firstLabel(name)
        if label == "internal" || label == "internal-muc" { return true }
        if let parent = JitsiDeployment.parentHost(of: name), JitsiDeployment.firstLabel(parent) == "auth" { return true }
        return false
    }

    /// The conference MUC of a VirtualHost: its `main_muc`, else a conference MUC one label below it.
    public func conferenceMUC(of host: ConfigSection) -> ConfigSection? {
        if let named = string("main_muc", in: host), let muc = section(named), muc.componentModule == "muc" {
            return muc
        }
        let candidates = conferenceMUCsByParent[host.name] ?? []
        return candidates.first { modules(of: $0).contains("token_verification") } ?? candidates.first
    }

    /// VirtualHosts serving tokenless guests besides the main host: anonymous / jitsi-anonymous /
    /// token hosts that own no conference MUC, or hosts called guest.*.
    public var guestHosts: [ConfigSection] {
        guard let main = mainHost else { return [] }
        let owners = hostsWithConferenceMUC
        return configuration.virtualHosts.filter { host in
            guard host.name != main.name, !owners.contains(host.name) else { return false }
            let auth = authentication(of: host)
            if JitsiDeployment.firstLabel(host.name) == "guest" { return true }
            return auth == "anonymous" || auth == "jitsi-anonymous" || auth == "token"
        }
    }

    /// Hosts whose options the token library reads: token hosts (mod_auth_token) and the parent
    /// hosts of MUCs loading token_verification, each with why it is read.
    public var tokenReaders: [(host: ConfigSection, reason: TokenReaderReason)] {
        var result: [(ConfigSection, TokenReaderReason)] = []
        var seen = Set<String>()
        for host in tokenHosts where seen.insert(host.name).inserted {
            result.append((host, .authentication))
        }
        for muc in mucComponents where modules(of: muc).contains("token_verification") {
            guard let parent = JitsiDeployment.parentHost(of: muc.name), let host = virtualHost(parent) else { continue }
            if seen.insert(host.name).inserted { result.append((host, .verifierParent(muc))) }
        }
        return result
    }

    public enum TokenReaderReason: Sendable {
        case authentication
        case verifierParent(ConfigSection)
    }

    /// The bare JIDs of the focus (jicofo) user: client_proxy targets.
    public var focusJIDs: [(jid: String, option: ConfigOption)] {
        var result: [(String, ConfigOption)] = []
        for component in configuration.components where component.componentModule == "client_proxy" {
            if let target = component.option("target_address"), let jid = target.value.stringValue {
                result.append((jid, target))
            }
        }
        return result
    }

    /// VirtualHosts holding the password accounts of jicofo and the videobridge: the domains of
    /// the focus JIDs and of focus@/jvb@ admins, and auth.* hosts.
    public var serviceHosts: [ConfigSection] {
        var domains = Set<String>()
        let focus = Set(focusJIDs.map(\.jid))
        var jids = Array(focus)
        for muc in mucComponents { jids += (muc["admins"]?.stringList ?? []) }
        jids += configuration.global["admins"]?.stringList ?? []
        for jid in jids where jid.hasPrefix("focus@") || jid.hasPrefix("jvb@") || focus.contains(jid) {
            if let at = jid.firstIndex(of: "@") {
                domains.insert(String(jid[jid.index(after: at)...].split(separator: "/").first ?? ""))
            }
        }
        return configuration.virtualHosts.filter { domains.contains($0.name) || JitsiDeployment.firstLabel($0.name) == "auth" }
    }

    /// The admins of a section as Prosody sees them: its own list plus the global list.
    public func admins(of section: ConfigSection) -> Set<String> {
        Set(section["admins"]?.stringList ?? []).union(configuration.global["admins"]?.stringList ?? [])
    }

    public func declaration(of section: ConfigSection) -> SourceLocation? {
        section.declarations.first
    }

    public func kindDescription(of section: ConfigSection) -> String {
        switch section.kind {
        case .global: "the global section"
        case .virtualHost: "VirtualHost \"\(section.name)\""
        case .component(let module):
            module == "component" ? "Component \"\(section.name)\"" : "Component \"\(section.name)\" \"\(module)\""
        }
    }
}

/// Mechanical edits computed from the source text (no guessing: nil when the text is not as expected).
public enum JitsiEdits {
    static func bytes(of location: SourceLocation, _ sources: SourceFiles) -> [UInt8]? {
        sources.texts[location.file]
    }

    /// Line and column of a byte offset.
    static func position(at offset: Int, in bytes: [UInt8]) -> SourcePosition {
        var line = 1
        var lineStart = 0
        var index = 0
        while index < offset && index < bytes.count {
            if bytes[index] == UInt8(ascii: "\n") {
                line += 1
                lineStart = index + 1
            }
            index += 1
        }
        return SourcePosition(offset: offset, line: line, column: offset - lineStart + 1)
    }

    static func range(_ start: Int, _ end: Int, in bytes: [UInt8]) -> SourceRange {
        SourceRange(start: position(at: start, in: bytes), end: position(at: end, in: bytes))
    }

    static func find(_ needle: [UInt8], in bytes: [UInt8], from: Int, to: Int) -> Int? {
        guard !needle.isEmpty, from >= 0, to <= bytes.count, to - from >= needle.count else { return nil }
        var index = from
        while index + needle.count <= to {
            if Array(bytes[index..<(index + needle.count)]) == needle { return index }
            index += 1
        }
        return nil
    }

    /// The byte range of a whole assignment `name = value` whose location covers at least the
    /// name: the value runs to the matching `}` for tables, else to the end of the line.
    static func assignmentExtent(_ location: SourceLocation, _ bytes: [UInt8]) -> (Int, Int)? {
        let start = location.range.start.offset
        var i = min(location.range.end.offset, bytes.count)
        func skipBlanks(newlines: Bool) {
            while i < bytes.count, bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "\t")
                || (newlines && (bytes[i] == UInt8(ascii: "\n") || bytes[i] == UInt8(ascii: "\r"))) { i += 1 }
        }
        skipBlanks(newlines: false)
        // The location may already cover the whole assignment.
        if i >= bytes.count || bytes[i] != UInt8(ascii: "=") {
            return location.range.end.offset > start ? (start, min(location.range.end.offset, bytes.count)) : nil
        }
        i += 1
        skipBlanks(newlines: true)
        guard i < bytes.count else { return nil }
        if bytes[i] == UInt8(ascii: "{") {
            var depth = 0
            while i < bytes.count {
                let c = bytes[i]
                if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                    i += 1
                    while i < bytes.count, bytes[i] != c, bytes[i] != UInt8(ascii: "\n") {
                        if bytes[i] == UInt8(ascii: "\\") { i += 1 }
                        i += 1
                    }
                } else if c == UInt8(ascii: "-"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "-") {
                    while i < bytes.count, bytes[i] != UInt8(ascii: "\n") { i += 1 }
                    continue
                } else if c == UInt8(ascii: "{") {
                    depth += 1
                } else if c == UInt8(ascii: "}") {
                    depth -= 1
                    if depth == 0 { return (start, i + 1) }
                }
                i += 1
            }
            return nil
        }
        var end = i
        var quote: UInt8? = nil
        while end < bytes.count, bytes[end] != UInt8(ascii: "\n") {
            let c = bytes[end]
            if let q = quote {
                if c == UInt8(ascii: "\\") { end += 1 } else if c == q { quote = nil }
            } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                quote = c
            } else if c == UInt8(ascii: "-"), end + 1 < bytes.count, bytes[end + 1] == UInt8(ascii: "-") {
                break
            }
            end += 1
        }
        while end > i, bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\t")
            || bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return (start, end)
    }

    /// The quoted literal `"value"` or `'value'` inside an assignment, as a byte range.
    static func literal(_ value: String, in location: SourceLocation, _ sources: SourceFiles) -> (Int, Int, [UInt8])? {
        guard let bytes = bytes(of: location, sources), let (start, end) = assignmentExtent(location, bytes) else { return nil }
        for quote in ["\"", "'"] {
            let needle = Array((quote + value + quote).utf8)
            if let found = find(needle, in: bytes, from: start, to: end) { return (found, found + needle.count, bytes) }
        }
        return nil
    }

    /// Replaces the string literal `old` in an assignment by `"new"`.
    public static func replaceLiteral(_ old: String, with new: String, in location: SourceLocation,
                                      _ sources: SourceFiles) -> TextEdit? {
        guard let (start, end, bytes) = literal(old, in: location, sources) else { return nil }
        return TextEdit(location: SourceLocation(file: location.file, range: range(start, end, in: bytes)),
                        replacement: "\"\(new)\"")
    }

    /// Removes one item (and its separator) from a list assignment such as `modules_enabled`.
    public static func removeListItem(_ item: String, in location: SourceLocation, _ sources: SourceFiles) -> TextEdit? {
        guard let (start, literalEnd, bytes) = literal(item, in: location, sources),
              let (_, limit) = assignmentExtent(location, bytes) else { return nil }
        var end = literalEnd
        var probe = end
        while probe < limit, bytes[probe] == UInt8(ascii: " ") || bytes[probe] == UInt8(ascii: "\t") { probe += 1 }
        if probe < limit, bytes[probe] == UInt8(ascii: ",") || bytes[probe] == UInt8(ascii: ";") { end = probe + 1 }
        // Drop the whole line when the item stands alone on it.
        var lineStart = start
        while lineStart > 0, bytes[lineStart - 1] == UInt8(ascii: " ") || bytes[lineStart - 1] == UInt8(ascii: "\t") {
            lineStart -= 1
        }
        var lineEnd = end
        while lineEnd < bytes.count, bytes[lineEnd] == UInt8(ascii: " ") || bytes[lineEnd] == UInt8(ascii: "\t") {
            lineEnd += 1
        }
        if (lineStart == 0 || bytes[lineStart - 1] == UInt8(ascii: "\n")), lineEnd < bytes.count,
           bytes[lineEnd] == UInt8(ascii: "\n") {
            return TextEdit(location: SourceLocation(file: location.file, range: range(lineStart, lineEnd + 1, in: bytes)),
                            replacement: "")
        }
        return TextEdit(location: SourceLocation(file: location.file, range: range(start, end, in: bytes)),
                        replacement: "")
    }

    /// Uncomments a list entry written as `--"item"` or `-- "item"` (the Debian template ships
    /// token_verification that way).
    public static func uncommentListItem(_ item: String, in location: SourceLocation, _ sources: SourceFiles) -> TextEdit? {
        guard let bytes = bytes(of: location, sources), let (start, end) = assignmentExtent(location, bytes) else { return nil }
        for quote in ["\"", "'"] {
            for prefix in ["--", "-- ", "--  "] {
                let needle = Array((prefix + quote + item + quote).utf8)
                if let found = find(needle, in: bytes, from: start, to: end) {
                    return TextEdit(location: SourceLocation(file: location.file,
                                                             range: range(found, found + prefix.utf8.count, in: bytes)),
                                    replacement: "")
                }
            }
        }
        return nil
    }

    /// Deletes the whole line of a one-line assignment (`    app_id = "x"; -- note`); nil when
    /// the line holds anything else.
    public static func deleteAssignmentLine(_ location: SourceLocation, _ sources: SourceFiles) -> TextEdit? {
        guard let bytes = bytes(of: location, sources), let (start, end) = assignmentExtent(location, bytes) else { return nil }
        var lineStart = start
        while lineStart > 0, bytes[lineStart - 1] == UInt8(ascii: " ") || bytes[lineStart - 1] == UInt8(ascii: "\t") {
            lineStart -= 1
        }
        guard lineStart == 0 || bytes[lineStart - 1] == UInt8(ascii: "\n") else { return nil }
        var i = end
        if i < bytes.count, bytes[i] == UInt8(ascii: ";") || bytes[i] == UInt8(ascii: ",") { i += 1 }
        while i < bytes.count, bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "\t") { i += 1 }
        if i + 1 < bytes.count, bytes[i] == UInt8(ascii: "-"), bytes[i + 1] == UInt8(ascii: "-") {
            while i < bytes.count, bytes[i] != UInt8(ascii: "\n") { i += 1 }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "\r") { i += 1 }
        guard i == bytes.count || bytes[i] == UInt8(ascii: "\n") else { return nil }
        let lineEnd = i < bytes.count ? i + 1 : i
        return TextEdit(location: SourceLocation(file: location.file, range: range(lineStart, lineEnd, in: bytes)),
                        replacement: "")
    }

    /// Inserts `"item";` as the first entry of a list assignment (after its `{`).
    public static func insertListItem(_ item: String, in location: SourceLocation, _ sources: SourceFiles) -> TextEdit? {
        guard let bytes = bytes(of: location, sources), let (_, end) = assignmentExtent(location, bytes) else { return nil }
        guard let equals = find(Array("=".utf8), in: bytes, from: location.range.start.offset, to: end),
              let brace = find(Array("{".utf8), in: bytes, from: equals, to: end) else { return nil }
        let at = brace + 1
        return TextEdit(location: SourceLocation(file: location.file, range: range(at, at, in: bytes)),
                        replacement: " \"\(item)\";")
    }

    /// Inserts a new option line after the line holding `location` (a declaration or an assignment),
    /// indented like section bodies usually are.
    public static func insertLine(_ text: String, after location: SourceLocation, indent: String = "    ",
                                  _ sources: SourceFiles) -> TextEdit? {
        guard let bytes = bytes(of: location, sources) else { return nil }
        var index = min(location.range.end.offset, bytes.count)
        while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
        return TextEdit(location: SourceLocation(file: location.file, range: range(index, index, in: bytes)),
                        replacement: "\n" + indent + text)
    }
}
