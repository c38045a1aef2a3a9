import Foundation
import LuaSyntax
import ProsodyConfig

/// SEC3xx: settings that weaken a server's security. Jitsi Meet deployments are judged
/// as such: their hosts are reached through BOSH/WebSocket behind nginx's TLS, so the
/// template's `c2s_require_encryption = false` is not a plain-text exposure.
enum SecurityRules {
    static let all: [RuleImplementation] = [
        RuleImplementation("SEC301", check: c2sEncryptionNotRequired),
        RuleImplementation("SEC302", check: s2sEncryptionNotRequired),
        RuleImplementation("SEC303", check: s2sSecureAuthDisabled),
        RuleImplementation("SEC304", check: openRegistrationWithoutGuard),
        RuleImplementation("SEC305", check: plaintextPasswordStorage),
        RuleImplementation("SEC306", check: unencryptedPlainAuth),
        RuleImplementation("SEC307", check: secretInWorldReadableFile),
        RuleImplementation("SEC308", check: worldWritableConfig),
        RuleImplementation("SEC309", check: adminOnAnonymousHost),
        RuleImplementation("SEC310", check: weakComponentSecret),
        RuleImplementation("SEC311", check: reusedComponentSecret),
        RuleImplementation("SEC312", check: anonymousS2S),
        RuleImplementation("SEC313", check: consoleOnPublicInterface),
        RuleImplementation("SEC314", check: runAsRoot),
        RuleImplementation("SEC315", check: legacyTLS),
    ]

    static func facts(_ context: AnalysisContext) -> ConfigFacts? {
        context.configFacts
    }

    /// VirtualHosts an assignment in `section` applies to (itself, or every host that does not override it).
    static func affectedHosts(_ facts: ConfigFacts, option name: String, setIn section: ConfigSection) -> [ConfigSection] {
        if section.isGlobal {
            return facts.enabledHosts.filter { $0.isVirtualHost && $0.option(name) == nil }
        }
        return section.isVirtualHost && facts.isEnabled(section) ? [section] : []
    }

    static func loadsWebTransport(_ facts: ConfigFacts, _ host: ConfigSection, _ release: ProsodyRelease) -> Bool {
        let modules = facts.modules(for: host, release: release)
        return modules.contains("bosh") || modules.contains("websocket")
    }

    // MARK: SEC301

    static func c2sEncryptionNotRequired(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let facts = facts(context), !context.isJitsi else { return [] }
        var findings: [Finding] = []
        for section in facts.globalAndHosts {
            var option = section.option("c2s_require_encryption")
            if option == nil, let legacy = section.option("require_encryption") { option = legacy }
            guard let option, option.value.boolValue == false else { continue }
            let hosts = affectedHosts(facts, option: "c2s_require_encryption", setIn: section)
                .filter { facts.modules(for: $0, release: context.prosodyRelease).contains("c2s") }
            guard !hosts.isEmpty else { continue }
            let web = hosts.filter { loadsWebTransport(facts, $0, context.prosodyRelease) }
            let names = hosts.map { "\"\($0.name)\"" }.joined(separator: ", ")
            let edit = facts.literalOrWord("false", after: option.location).map { TextEdit(location: $0, replacement: "true") }
            if web.count == hosts.count {
                findings.append(factory.make(
                    "\(option.name) = false lets clients of \(names) log in and chat over unencrypted TCP. These hosts also serve BOSH/WebSocket: if that is why, mark the proxied HTTP as secure instead.",
                    at: option.location,
                    fix: FixSuggestion("Set \(option.name) = true and, when BOSH/WebSocket arrive through a TLS-terminating proxy, consider_bosh_secure = true / consider_websocket_secure = true in the global section."),
                    confidence: .possible, severity: .info))
            } else {
                findings.append(factory.make(
                    "\(option.name) = false lets clients of \(names) log in and chat over unencrypted TCP: passwords and messages travel in clear text.",
                    at: option.location,
                    fix: FixSuggestion("Set \(option.name) = true (the default) and make sure mod_tls and a certificate are configured.",
                                       edits: edit.map { [$0] } ?? [])))
            }
        }
        return findings
    }

    // MARK: SEC302 / SEC303

    static func s2sEnabled(_ facts: ConfigFacts, _ release: ProsodyRelease) -> Bool {
        facts.enabledHosts.contains {
            $0.isVirtualHost && !isLocalOnlyName($0.name) && facts.modules(for: $0, release: release).contains("s2s")
        }
    }

    static func s2sEncryptionNotRequired(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let facts = facts(context), !context.isJitsi, s2sEnabled(facts, context.prosodyRelease) else { return [] }
        var option = facts.global.option("s2s_require_encryption")
        if option == nil, let legacy = facts.global.option("require_encryption") { option = legacy }
        guard let option, option.value.boolValue == false else { return [] }
        let edit = facts.literalOrWord("false", after: option.location).map { TextEdit(location: $0, replacement: "true") }
        return [factory.make(
            "\(option.name) = false allows server-to-server connections without TLS: messages to and from other servers can be read and altered on the way.",
            at: option.location,
            fix: FixSuggestion("Set s2s_require_encryption = true (the default since Prosody 0.10); for a peer that cannot do TLS, list it in s2s_insecure_domains instead.",
                               edits: edit.map { [$0] } ?? []))]
    }

    static func s2sSecureAuthDisabled(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let facts = facts(context), !context.isJitsi, s2sEnabled(facts, context.prosodyRelease),
              let option = facts.global.option("s2s_secure_auth"), option.value.boolValue == false else { return [] }
        return [factory.make(
            "s2s_secure_auth = false: remote servers are accepted on dialback alone, without a valid certificate, so a DNS or routing attack can impersonate them.",
            at: option.location,
            fix: FixSuggestion("Set s2s_secure_auth = true and list peers with broken certificates in s2s_insecure_domains."),
            confidence: .likely)]
    }

    // MARK: registration

    struct OpenRegistration {
        var host: ConfigSection
        var location: SourceLocation?
        var related: [RelatedLocation]
    }

    /// Hosts where prosodyctl's "Public registration is enabled" applies (C18, 0.12.4 semantics).
    static func openRegistrationHosts(_ facts: ConfigFacts) -> [OpenRegistration] {
        facts.memoized("SecurityRules.openRegistrationHosts") { computeOpenRegistrationHosts(facts) }
    }

    private static func computeOpenRegistrationHosts(_ facts: ConfigFacts) -> [OpenRegistration] {
        let globalEnabled = facts.global["modules_enabled"]?.stringList ?? []
        let globalDisabled = facts.global["modules_disabled"]?.stringList
        return facts.enabledHosts.filter(\.isVirtualHost).compactMap { host in
            // (global + host modules_enabled) minus the host's (else the global) modules_disabled,
            // asked of the few modules that matter instead of built as a set for every host.
            let hostEnabled = host["modules_enabled"]?.stringList ?? []
            let disabled = host["modules_disabled"]?.stringList ?? globalDisabled ?? []
            func listedContains(_ module: String) -> Bool {
                (globalEnabled.contains(module) || hostEnabled.contains(module)) && !disabled.contains(module)
            }
            // `effectiveOption(_, in: host.name)`, without looking the host up again by name.
            let allow = host.option("allow_registration") ?? facts.global.option("allow_registration")
            let open = listedContains("register_ibr") || (listedContains("register") && allow?.value.isTruthy == true)
            guard open else { return nil }
            let inviteOnly = (host.option("registration_invite_only") ?? facts.global.option("registration_invite_only"))?
                .value.isTruthy ?? true
            if listedContains("invites_register") && inviteOnly { return nil }
            var related: [RelatedLocation] = []
            if let modules = host.option("modules_enabled") ?? facts.global.option("modules_enabled") {
                related.append(RelatedLocation(modules.location, note: "registration module enabled here"))
            }
            return OpenRegistration(host: host, location: allow?.location ?? related.first?.location ?? host.declarations.first,
                                    related: related + host.declarations.prefix(1).map { RelatedLocation($0, note: "host declared here") })
        }
    }

    /// Names that cannot be reached from the internet (RFC 6761/6762 special-use names).
    static func isLocalOnlyName(_ name: String) -> Bool {
        let lower = name.lowercased()
        if lower == "localhost" { return true }
        return [".localhost", ".local", ".test", ".invalid", ".example", ".internal", ".lan"].contains { lower.hasSuffix($0) }
    }

    static let registrationGuardModules: Set<String> = [
        "register_dnsbl", "register_dnsbl_warn", "register_dnsbl_firewall_mark", "register_redirect", "register_oob",
        "captcha", "register_web", "firewall", "anti_spam", "invites_register",
    ]

    static func openRegistrationWithoutGuard(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let facts = facts(context) else { return [] }
        return openRegistrationHosts(facts).compactMap { open in
            let host = open.host
            if isLocalOnlyName(host.name) { return nil }
            func set(_ name: String) -> Bool { facts.configuration.effectiveOption(name, in: host.name) != nil }
            func truthy(_ name: String) -> Bool {
                facts.configuration.effectiveOption(name, in: host.name)?.value.isTruthy == true
            }
            let modules = facts.modules(for: host, release: context.prosodyRelease)
            if set("min_seconds_between_registrations") || set("registration_throttle_max") || set("register_oob_url")
                || truthy("allowlist_registration_only") || truthy("whitelist_registration_only")
                || !modules.isDisjoint(with: registrationGuardModules) { return nil }
            return factory.make(
                "VirtualHost \"\(host.name)\" lets anyone register an account in-band with no limit: no throttle (min_seconds_between_registrations), no IP allowlist, no CAPTCHA or invite step. Spam bots find such servers within days.",
                at: open.location, related: open.related,
                fix: FixSuggestion("Switch to invite-only registration (modules \"invites\", \"invites_register\"), or at least set min_seconds_between_registrations = 300 and watch new accounts with mod_watchregistrations."),
                confidence: .likely)
        }
    }

    // MARK: SEC305 / SEC306

    static func plaintextPasswordStorage(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let facts = facts(context) else { return [] }
        return facts.globalAndHosts.compactMap { section in
            guard let option = section.option("authentication"), option.value.stringValue == "internal_plain" else { return nil }
            let hosts = section.isGlobal
                ? facts.enabledHosts.filter { $0.isVirtualHost && $0.option("authentication") == nil }.map(\.name)
                : [section.name]
            guard !hosts.isEmpty else { return nil }
            let literal = facts.literalLocation("internal_plain", after: option.location)
            let quote = literal.flatMap { facts.sources.texts[$0.file]?[$0.range.start.offset] }.map { String(UnicodeScalar($0)) } ?? "\""
            // Jitsi's old templates used internal_plain for the service accounts (focus, jvb, jibri):
            // still clear text, but generated passwords on an internal host.
            let jitsi = context.isJitsi
            return factory.make(
                "authentication = \"internal_plain\" stores the passwords of \(hosts.map { "\"\($0)\"" }.joined(separator: ", ")) in clear text on disk; anyone who reads the data directory or a backup gets them." +
                (jitsi ? " (In Jitsi Meet these are the service accounts; current Jitsi templates use internal_hashed.)" : ""),
                at: option.location,
                fix: FixSuggestion("Use authentication = \"internal_hashed\" (existing plain-text passwords are converted when each user next logs in).",
                                   edits: literal.map { [TextEdit(location: $0, replacement: quote + "internal_hashed" + quote)] } ?? []),
                confidence: jitsi ? .likely : .certain, severity: jitsi ? .info : nil)
        }
    }

    static func unencryptedPlainAuth(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let facts = facts(context), !context.isJitsi else { return [] }
        return facts.globalAndHosts.compactMap { section in
            guard let option = section.option("allow_unencrypted_plain_auth"), option.value.boolValue == true else { return nil }
            let hosts = affectedHosts(facts, option: "allow_unencrypted_plain_auth", setIn: section)
            // It only matters where unencrypted connections are allowed at all.
            let exposed = hosts.filter { host in
                let require = facts.configuration.effectiveOption("c2s_require_encryption", in: host.name)
                    ?? facts.configuration.effectiveOption("require_encryption", in: host.name)
                return require?.value.boolValue == false
            }
            let names = (exposed.isEmpty ? hosts : exposed).map { "\"\($0.name)\"" }.joined(separator: ", ")
            guard !hosts.isEmpty else { return nil }
            if exposed.isEmpty {
                return factory.make(
                    "allow_unencrypted_plain_auth = true on \(names) would send passwords in clear text; it is harmless only while c2s_require_encryption stays true.",
                    at: option.location,
                    fix: FixSuggestion("Remove allow_unencrypted_plain_auth."),
                    confidence: .possible, severity: .info)
            }
            return factory.make(
                "allow_unencrypted_plain_auth = true and c2s_require_encryption = false on \(names): clients may send their password in clear text over an unencrypted connection.",
                at: option.location,
                fix: FixSuggestion("Remove allow_unencrypted_plain_auth and require encryption (c2s_require_encryption = true)."))
        }
    }

    // MARK: SEC307 / SEC308 (file facts from the CLI)

    static func isSecretOption(_ name: String) -> Bool {
        SecretMasking.isSecretName(name) || name == "component_secret" || name == "sql" || name == "ldap_password"
    }

    /// A literal secret value (not empty, not a template placeholder).
    static func literalSecret(_ name: String, _ value: ConfigValue?) -> Bool {
        guard let value else { return false }
        if name == "sql" {
            guard let table = value.tableValue, let password = table["password"]?.stringValue else { return false }
            return !password.isEmpty && !isPlaceholder(password)
        }
        if let s = value.stringValue { return !s.isEmpty && !isPlaceholder(s) }
        return false
    }

    static func secretInWorldReadableFile(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let configuration = context.configuration, !context.fileFacts.isEmpty else { return [] }
        // Files in the order their first secret appears, each with its secrets (a config has
        // few: plain arrays).
        var byFile: [(file: String, secrets: [OptionAssignment])] = []
        let assignments = configuration.assignments
        // By index: the name is tested in place, only secret assignments are copied.
        for index in assignments.indices where isSecretOption(assignments[index].name)
            && literalSecret(assignments[index].name, assignments[index].value) {
            let assignment = assignments[index]
            let file = assignment.location.file
            guard let facts = context.fileFacts[file], facts.isWorldReadable else { continue }
            if let position = byFile.firstIndex(where: { $0.file == file }) {
                byFile[position].secrets.append(assignment)
            } else {
                byFile.append((file, [assignment]))
            }
        }
        return byFile.compactMap { file, secrets in
            guard let first = secrets.first, let mode = context.fileFacts[file]?.octal else { return nil }
            var sortedNames: [String] = []
            for name in secrets.map(\.name).sorted() where sortedNames.last != name { sortedNames.append(name) }
            var names = ""
            for name in sortedNames { names += names.isEmpty ? name : ", " + name }
            return factory.make(
                "\(file) is readable by every local user (mode \(mode)) and contains secrets inline (\(names)).",
                at: first.location,
                related: secrets.dropFirst().map { RelatedLocation($0.location, note: "\($0.name) also inlined here") },
                fix: FixSuggestion("Restrict the file: chown root:prosody \(file) && chmod 640 \(file); or move the secrets to a file only prosody can read."))
        }
    }

    static func worldWritableConfig(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let configuration = context.configuration else { return [] }
        return configuration.files.compactMap { file in
            guard let facts = context.fileFacts[file], facts.isWorldWritable else { return nil }
            let origin = SourcePosition(offset: 0, line: 1, column: 1)
            return factory.make(
                "\(file) is writable by every local user (mode \(facts.octal)): the config is Lua code that Prosody runs, so any local user can take over the server.",
                at: SourceLocation(file: file, range: SourceRange(start: origin, end: origin)),
                fix: FixSuggestion("chmod o-w \(file) (640 with group prosody is usual)."))
        }
    }

    // MARK: SEC309

    static func isAnonymous(_ facts: ConfigFacts, _ host: ConfigSection) -> Bool {
        if let auth = facts.configuration.effectiveOption("authentication", in: host.name)?.value.stringValue {
            return auth == "anonymous" || auth == "jitsi-anonymous"
        }
        return facts.configuration.effectiveOption("anonymous_login", in: host.name)?.value.isTruthy == true
    }

    static func adminOnAnonymousHost(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let facts = facts(context) else { return [] }
        let anonymousHosts = facts.enabledHosts.filter { $0.isVirtualHost && isAnonymous(facts, $0) }
        guard !anonymousHosts.isEmpty else { return [] }
        let anonymousNames = Set(anonymousHosts.map(\.name))
        var findings: [Finding] = []
        for section in facts.globalAndHosts {
            guard let option = section.option("admins"), let jids = option.value.stringList else { continue }
            for jid in jids {
                let domain = jid.split(separator: "/").first.map { $0.split(separator: "@").last.map(String.init) ?? "" } ?? ""
                guard anonymousNames.contains(domain.lowercased()) else { continue }
                findings.append(factory.make(
                    "Admin \(jid) is an account on \"\(domain)\", which uses anonymous authentication: nobody owns names there, so admin rights for it belong to whoever is given that name (or, with a changed auth setup, to anyone).",
                    at: facts.literalLocation(jid, after: option.location) ?? option.location,
                    related: anonymousHosts.filter { $0.name == domain.lowercased() }.compactMap(\.declarations.first)
                        .map { RelatedLocation($0, note: "anonymous host") },
                    fix: FixSuggestion("List admins on a host with password or token authentication (e.g. focus@auth.\(domain))."),
                    confidence: .likely))
            }
        }
        return findings
    }

    // MARK: SEC310 / SEC311

    /// Template markers and redactions that are not real secrets.
    static func isPlaceholder(_ value: String) -> Bool {
        let v = ASCIIText.trimmingWhitespaces(value)
        if ASCIIText.contains("{{", in: v) || ASCIIText.contains("${", in: v) || v.hasPrefix("$") || v.hasPrefix("%") { return true }
        if v.hasPrefix("<") && v.hasSuffix(">") { return true }
        if v.hasPrefix("__") && v.hasSuffix("__") { return true }
        if v.hasPrefix("[") && v.hasSuffix("]") { return true }
        if v.hasPrefix("@") && v.hasSuffix("@") { return true }
        return ["REDACTED", "XXX", "xxx", "***", "********"].contains(v)
    }

    static let weakWords = ["secret", "password", "passwd", "changeme", "change_me", "example", "test", "default",
                            "admin", "jitsi", "focus", "jicofo", "jvb", "12345", "qwerty"]

    static func weakness(of secret: String, component: String) -> String? {
        let lower = secret.lowercased()
        if secret.count < 8 { return "it is shorter than 8 characters" }
        if Set(secret).count <= 2 { return "it repeats one or two characters" }
        if lower == component.lowercased() || component.lowercased().split(separator: ".").contains(where: { $0.count >= 4 && lower == $0 }) {
            return "it can be guessed from the component's name"
        }
        if weakWords.contains(where: { lower.contains($0) }), secret.count < 24 {
            return "it is built around a common word (like secret, password, changeme or the service's name)"
        }
        return nil
    }

    static func componentSecrets(_ facts: ConfigFacts) -> [(section: ConfigSection, option: ConfigOption, secret: String)] {
        facts.hosts.compactMap { section in
            guard section.componentModule == "component", let option = section.option("component_secret"),
                  let secret = option.value.stringValue, !secret.isEmpty, !isPlaceholder(secret) else { return nil }
            return (section, option, secret)
        }
    }

    static func weakComponentSecret(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let facts = facts(context) else { return [] }
        return componentSecrets(facts).compactMap { entry in
            guard let reason = weakness(of: entry.secret, component: entry.section.name) else { return nil }
            return factory.make(
                "The component_secret of Component \"\(entry.section.name)\" is weak: \(reason). Whoever guesses it can connect as the component and act with its rights.",
                at: entry.option.location,
                fix: FixSuggestion("Generate a long random secret (openssl rand -hex 24) and set it both here and in the component's own config."))
        }
    }

    static func reusedComponentSecret(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let facts = facts(context) else { return [] }
        let entries = componentSecrets(facts)
        var groups: [String: [Int]] = [:]
        for (index, entry) in entries.enumerated() { groups[entry.secret, default: []].append(index) }
        return groups.values.filter { $0.count > 1 }.sorted { $0[0] < $1[0] }.compactMap { indexes in
            let members = indexes.map { entries[$0] }
            guard let first = members.first else { return nil }
            let names = members.map { "\"\($0.section.name)\"" }.joined(separator: ", ")
            return factory.make(
                "Components \(names) share the same component_secret: a leak from any one of them (its config, its logs) lets an attacker connect as all of them.",
                at: first.option.location,
                related: members.dropFirst().map { RelatedLocation($0.option.location, note: "same secret for \"\($0.section.name)\"") },
                fix: FixSuggestion("Give every external component its own random secret (openssl rand -hex 24)."))
        }
    }

    // MARK: SEC312–SEC315

    static func anonymousS2S(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let facts = facts(context), !context.isJitsi else { return [] }
        return facts.globalAndHosts.compactMap { section in
            guard let option = section.option("allow_anonymous_s2s"), option.value.isTruthy == true else { return nil }
            let hosts = affectedHosts(facts, option: "allow_anonymous_s2s", setIn: section).filter { isAnonymous(facts, $0) }
            guard !hosts.isEmpty else { return nil }
            return factory.make(
                "allow_anonymous_s2s = true lets unauthenticated users of \(hosts.map { "\"\($0.name)\"" }.joined(separator: ", ")) message the whole XMPP network, an easy spam relay.",
                at: option.location,
                fix: FixSuggestion("Remove allow_anonymous_s2s (the default keeps anonymous users on this server)."),
                confidence: .likely)
        }
    }

    static func isLoopback(_ address: String) -> Bool {
        address == "::1" || address.hasPrefix("127.") || address == "localhost"
    }

    static func consoleOnPublicInterface(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let facts = facts(context) else { return [] }
        guard facts.listsModule(where: { $0 == "admin_telnet" }) else { return [] }
        guard let option = facts.global.option("console_interfaces") ?? facts.global.option("console_interface") else { return [] }
        let addresses = option.value.stringList ?? option.value.stringValue.map { [$0] } ?? []
        let exposed = addresses.filter { !isLoopback($0) }
        guard !exposed.isEmpty else { return [] }
        return [factory.make(
            "The telnet admin console (mod_admin_telnet) listens on \(exposed.joined(separator: ", ")): it has no authentication, so anyone who can reach the port controls the server.",
            at: option.location,
            fix: FixSuggestion("Remove \(option.name) (the console listens on localhost only by default), or use prosodyctl shell on Prosody 0.12+/13.")) ]
    }

    static func runAsRoot(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let facts = facts(context), let option = facts.global.option("run_as_root"),
              option.value.isTruthy == true else { return [] }
        return [factory.make(
            "run_as_root = true lets Prosody keep running as root: any bug in Prosody or a community module becomes a root compromise.",
            at: option.location,
            fix: FixSuggestion("Remove run_as_root and start Prosody as the prosody user (the packages' service files do this)."))]
    }

    static let legacyProtocols: Set<String> = ["sslv2", "sslv3", "tlsv1", "tlsv1+", "tlsv1_1", "tlsv1_1+"]

    static func legacyTLS(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let facts = facts(context) else { return [] }
        var findings: [Finding] = []
        if let option = facts.global.option("tls_profile"), let profile = option.value.stringValue,
           profile == "old" || profile == "legacy" {
            findings.append(factory.make(
                "tls_profile = \"\(profile)\" enables TLS 1.0/1.1 and weak ciphers for every connection.",
                at: option.location,
                fix: FixSuggestion("Use tls_profile = \"intermediate\" (the default) or \"modern\"."),
                confidence: .likely))
        }
        for section in facts.globalAndHosts {
            guard let option = section.option("ssl"), let table = option.value.tableValue,
                  let tlsProtocol = table["protocol"]?.stringValue, legacyProtocols.contains(tlsProtocol.lowercased()) else { continue }
            findings.append(factory.make(
                "ssl.protocol = \"\(tlsProtocol)\" in \(ConfigFacts.describe(section)) allows protocol versions older than TLS 1.2, which are broken or deprecated.",
                at: facts.literalLocation(tlsProtocol, after: option.location) ?? option.location,
                fix: FixSuggestion("Use protocol = \"tlsv1_2+\", or remove protocol to use Prosody's default."),
                confidence: .likely))
        }
        return findings
    }
}

extension ConfigFacts {
    /// A `true`/`false` keyword right after the option name (for boolean edits).
    func literalOrWord(_ word: String, after location: SourceLocation) -> SourceLocation? {
        guard let bytes = sources.texts[location.file] else { return nil }
        var i = location.range.start.offset
        // skip the name, spaces and `=`
        while i < bytes.count, bytes[i] != UInt8(ascii: "=") && bytes[i] != UInt8(ascii: "\n") { i += 1 }
        guard i < bytes.count, bytes[i] == UInt8(ascii: "=") else { return nil }
        i += 1
        while i < bytes.count, bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "\t") { i += 1 }
        let needle = Array(word.utf8)
        guard i + needle.count <= bytes.count, Array(bytes[i..<(i + needle.count)]) == needle else { return nil }
        if i + needle.count < bytes.count {
            let next = bytes[i + needle.count]
            if (next >= UInt8(ascii: "a") && next <= UInt8(ascii: "z")) || next == UInt8(ascii: "_") { return nil }
        }
        var line = location.range.start.line
        var lineStart = 0
        var j = 0
        line = 1
        while j < i { if bytes[j] == UInt8(ascii: "\n") { line += 1; lineStart = j + 1 }; j += 1 }
        let start = SourcePosition(offset: i, line: line, column: i - lineStart + 1)
        let end = SourcePosition(offset: i + needle.count, line: line, column: i - lineStart + 1 + needle.count)
        return SourceLocation(file: location.file, range: SourceRange(start: start, end: end))
    }
}
