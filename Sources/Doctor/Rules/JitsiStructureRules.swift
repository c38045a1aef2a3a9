import LuaSyntax
import ProsodyConfig

/// JIT6xx: the shape of a Jitsi Meet Prosody setup (components that must exist and point at
/// each other, the focus user, the Jitsi plugin path, role modules that fight each other).
enum JitsiStructureRules {
    static let all: [RuleImplementation] = [
        RuleImplementation("JIT601", check: danglingComponentReference),
        RuleImplementation("JIT602", check: componentReferenceNotMUC),
        RuleImplementation("JIT603", check: mapperDomainBaseMissing),
        RuleImplementation("JIT604", check: mapperDomainBaseNotAHost),
        RuleImplementation("JIT605", check: mapperPrefixMismatch),
        RuleImplementation("JIT606", check: focusNotMUCAdmin),
        RuleImplementation("JIT607", check: focusHostMissing),
        RuleImplementation("JIT608", check: pluginPathMissing),
        RuleImplementation("JIT609", check: waitForHostAutoOwners),
        RuleImplementation("JIT610", check: allownersWithTokenRoles),
        RuleImplementation("JIT611", check: restrictRoomCreationMissing),
        RuleImplementation("JIT612", check: boshConsideredInsecure),
        RuleImplementation("JIT613", check: serviceHostWithoutPasswords),
    ]

    static func jitsiLayout(_ context: AnalysisContext) -> JitsiLayout? {
        context.jitsiLayout
    }

    /// Options naming another component, and the component module each must have (nil: any).
    static let componentReferences: [(option: String, module: String?)] = [
        ("main_muc", "muc"), ("lobby_muc", "muc"), ("breakout_rooms_muc", "muc"), ("muc_component", "muc"),
        ("speakerstats_component", nil), ("conference_duration_component", nil),
        ("end_conference_component", nil), ("av_moderation_component", nil),
    ]

    static func references(_ configuration: ProsodyConfiguration) -> [(ConfigSection, ConfigOption, String?, String)] {
        var result: [(ConfigSection, ConfigOption, String?, String)] = []
        for section in [configuration.global] + configuration.sections {
            for (name, module) in componentReferences {
                if let option = section.option(name), let target = option.value.stringValue {
                    result.append((section, option, module, target))
                }
            }
        }
        return result
    }

    // MARK: JIT601 / JIT602

    static func danglingComponentReference(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let layout = jitsiLayout(context), let configuration = context.configuration else { return [] }
        return references(configuration).compactMap { section, option, _, target in
            guard layout.section(target) == nil, target != "*" else { return nil }
            // A component with the same first label (lobby.meet.example.org -> lobby.meet.example.com).
            let label = JitsiDeployment.firstLabel(target.lowercased())
            let sameLabel = configuration.components.filter { JitsiDeployment.firstLabel($0.name) == label }
            let suggestion = sameLabel.count == 1 ? sameLabel.first : nil
            var message = "\(option.name) in \(layout.kindDescription(of: section)) names \"\(target)\", but no Component "
                + "\"\(target)\" is declared: the module that reads it cannot find its component"
            var edits: [TextEdit] = []
            if let suggestion {
                message += " (did you mean \"\(suggestion.name)\"?)"
                if let e = JitsiEdits.replaceLiteral(target, with: suggestion.name, in: option.location, context.sources) {
                    edits.append(e)
                }
            }
            return factory.make(message, at: option.location,
                                fix: FixSuggestion("Declare Component \"\(target)\" with the module Jitsi expects, or correct \(option.name) to an existing component.",
                                                   edits: edits))
        }
    }

    static func componentReferenceNotMUC(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let layout = jitsiLayout(context), let configuration = context.configuration else { return [] }
        return references(configuration).compactMap { section, option, module, target in
            guard let module, let targetSection = layout.section(target),
                  targetSection.componentModule != module else { return nil }
            let related = layout.declaration(of: targetSection).map { [RelatedLocation($0, note: "declared here")] } ?? []
            return factory.make(
                "\(option.name) in \(layout.kindDescription(of: section)) names \"\(target)\", which is "
                    + "\(layout.kindDescription(of: targetSection)), not a \"\(module)\" component",
                at: option.location, related: related,
                fix: FixSuggestion("Point \(option.name) at the Component \"…\" \"\(module)\" it is meant for."))
        }
    }

    // MARK: JIT603 / JIT604 / JIT605

    /// Modules that read muc_mapper_domain_base and stop working without it.
    static let mapperModules = ["muc_domain_mapper", "muc_wait_for_host", "token_verification"]

    static func mapperDomainBaseMissing(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let layout = jitsiLayout(context), let configuration = context.configuration else { return [] }
        var findings: [Finding] = []
        for section in configuration.sections {
            let modules = layout.modules(of: section)
            var reported = false
            for module in mapperModules where modules.contains(module) {
                guard layout.option("muc_mapper_domain_base", in: section) == nil, !layout.isFragment else { continue }
                if module == "token_verification" && reported { continue }
                reported = true
                let source = layout.moduleSource(module, of: section)
                let verifier = module == "token_verification"
                guard !verifier || section.componentModule == "muc" else { continue }
                let effect = verifier
                    ? "since jitsi-meet 2025-09 the room check looks the room up through it and denies every join"
                    : "the module disables itself or denies access"
                let base = JitsiDeployment.parentHost(of: section.name).flatMap(layout.virtualHost)?.name ?? "<main domain>"
                findings.append(factory.make(
                    "\(module) is loaded on \(layout.kindDescription(of: section)) but muc_mapper_domain_base is not set "
                        + "(globally or there): \(effect)",
                    at: source?.location ?? layout.declaration(of: section),
                    fix: FixSuggestion("Set muc_mapper_domain_base = \"\(base)\" in the global section."),
                    confidence: verifier ? .possible : .certain))
            }
        }
        return findings
    }

    static func mapperDomainBaseNotAHost(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let layout = jitsiLayout(context), let configuration = context.configuration else { return [] }
        guard let option = configuration.global.option("muc_mapper_domain_base"), let base = option.value.stringValue,
              layout.virtualHost(base) == nil else { return [] }
        let suggestion = layout.mainHost ?? layout.tokenHosts.first
        var edits: [TextEdit] = []
        if let suggestion, let e = JitsiEdits.replaceLiteral(base, with: suggestion.name, in: option.location, context.sources) {
            edits.append(e)
        }
        let related = suggestion.flatMap { layout.declaration(of: $0) }.map { [RelatedLocation($0, note: "main VirtualHost")] } ?? []
        return [factory.make(
            "muc_mapper_domain_base is \"\(base)\", but there is no VirtualHost \"\(base)\": room names are mapped "
                + "against a domain clients never use",
            at: option.location, related: related,
            fix: FixSuggestion("Set muc_mapper_domain_base to the main XMPP domain\(suggestion.map { " (\"\($0.name)\")" } ?? "").",
                               edits: edits))]
    }

    static func mapperPrefixMismatch(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let layout = jitsiLayout(context), let configuration = context.configuration,
              let baseOption = configuration.global.option("muc_mapper_domain_base"),
              let base = baseOption.value.stringValue, layout.virtualHost(base) != nil,
              configuration.global["muc_mapper_domain"] == nil else { return [] }
        let prefixOption = configuration.global.option("muc_mapper_domain_prefix")
        let prefix = prefixOption?.value.stringValue ?? "conference"
        guard !prefix.isEmpty else { return [] }
        let expected = "\(prefix).\(base)"
        guard layout.section(expected) == nil else { return [] }
        let candidates = layout.conferenceMUCs.filter { JitsiDeployment.parentHost(of: $0.name) == base }
        guard candidates.count == 1, let muc = candidates.first else { return [] }
        let actual = JitsiDeployment.firstLabel(muc.name)
        var edits: [TextEdit] = []
        if let prefixOption {
            if let e = JitsiEdits.replaceLiteral(prefix, with: actual, in: prefixOption.location, context.sources) { edits.append(e) }
        } else if let e = JitsiEdits.insertLine("muc_mapper_domain_prefix = \"\(actual)\"", after: baseOption.location,
                                                indent: "", context.sources) {
            edits.append(e)
        }
        let related = layout.declaration(of: muc).map { [RelatedLocation($0, note: "the conference MUC")] } ?? []
        return [factory.make(
            "muc_mapper_domain_prefix is \(prefixOption == nil ? "unset (default \"conference\")" : "\"\(prefix)\""), so the "
                + "Jitsi modules expect the conference MUC at \"\(expected)\", but it is \"\(muc.name)\"",
            at: prefixOption?.location ?? baseOption.location, related: related,
            fix: FixSuggestion("Set muc_mapper_domain_prefix = \"\(actual)\" in the global section.", edits: edits))]
    }

    // MARK: JIT606 / JIT607

    static func focusNotMUCAdmin(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let layout = jitsiLayout(context), let muc = layout.mainMUC else { return [] }
        let admins = layout.admins(of: muc)
        return layout.focusJIDs.compactMap { jid, target in
            let bare = String(jid.split(separator: "/", maxSplits: 1).first ?? Substring(jid))
            guard !admins.contains(bare) else { return nil }
            var edits: [TextEdit] = []
            if let own = muc.option("admins") {
                if let e = JitsiEdits.insertListItem(bare, in: own.location, context.sources) { edits.append(e) }
            } else if let d = layout.declaration(of: muc),
                      let e = JitsiEdits.insertLine("admins = { \"\(bare)\" }", after: d, context.sources) {
                edits.append(e)
            }
            return factory.make(
                "The focus user \"\(bare)\" (jicofo) is not an admin of the conference MUC \"\(muc.name)\": jicofo cannot "
                    + "create rooms or become their owner, and conferences do not start",
                at: muc.option("admins")?.location ?? layout.declaration(of: muc),
                related: [RelatedLocation(target.location, note: "the focus component points at \"\(bare)\"")],
                fix: FixSuggestion("Add \"\(bare)\" to admins of Component \"\(muc.name)\".", edits: edits))
        }
    }

    static func focusHostMissing(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let layout = jitsiLayout(context) else { return [] }
        var findings: [Finding] = []
        var seen = Set<String>()
        var candidates = layout.focusJIDs
        if let muc = layout.mainMUC, let admins = muc.option("admins") {
            for jid in admins.value.stringList ?? [] where jid.hasPrefix("focus@") { candidates.append((jid, admins)) }
        }
        for (jid, option) in candidates {
            guard let at = jid.firstIndex(of: "@") else { continue }
            let domain = String(jid[jid.index(after: at)...].split(separator: "/").first ?? "")
            guard !domain.isEmpty, layout.virtualHost(domain) == nil, seen.insert(domain).inserted else { continue }
            findings.append(factory.make(
                "The focus user \"\(jid)\" lives on \"\(domain)\", but there is no VirtualHost \"\(domain)\": jicofo (and "
                    + "the videobridge) cannot log in",
                at: option.location,
                fix: FixSuggestion("Declare VirtualHost \"\(domain)\" with authentication = \"internal_hashed\" and "
                                   + "register the focus (and jvb) accounts there.")))
        }
        return findings
    }

    // MARK: JIT608

    /// Modules and auth providers shipped only in Jitsi's prosody-plugins directory.
    static let jitsiOnlyModules: Set<String> = [
        "token_verification", "muc_domain_mapper", "muc_meeting_id", "speakerstats", "speakerstats_component",
        "conference_duration", "conference_duration_component", "muc_lobby_rooms", "muc_breakout_rooms",
        "client_proxy", "jitsi_session", "muc_wait_for_host", "persistent_lobby", "end_conference",
        "av_moderation", "av_moderation_component", "muc_hide_all", "muc_rate_limit", "muc_password_whitelist",
        "muc_allowners", "auth_token", "auth_jitsi-anonymous", "auth_jitsi-shared-secret",
    ]

    static func pluginPathMissing(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let layout = jitsiLayout(context), let configuration = context.configuration else { return [] }
        let paths = configuration.global["plugin_paths"]?.stringList ?? []
        if configuration.global["plugin_paths"]?.isDynamic == true { return [] }
        guard !paths.contains(where: { $0.contains("jitsi") || $0.contains("prosody-plugins") }) else { return [] }
        // A file included from the main config gets plugin_paths from there.
        if configuration.global.option("plugin_paths") == nil, layout.isFragment { return [] }
        var used: [(String, SourceLocation?)] = []
        for section in configuration.sections {
            for module in layout.modules(of: section).sorted() where jitsiOnlyModules.contains(module) {
                let location = section.componentModule == module ? layout.declaration(of: section)
                    : layout.moduleSource(module, of: section)?.location
                used.append((module, location))
            }
            if section.isVirtualHost, jitsiOnlyModules.contains("auth_" + layout.authentication(of: section)) {
                used.append(("auth_" + layout.authentication(of: section), layout.option("authentication", in: section)?.location))
            }
        }
        guard let first = used.first else { return [] }
        let names = Array(Set(used.map(\.0))).sorted()
        let shown = names.prefix(4).joined(separator: ", ") + (names.count > 4 ? ", ..." : "")
        let existing = configuration.global.option("plugin_paths")
        var related: [RelatedLocation] = []
        if let existing, let l = first.1 { related.append(RelatedLocation(l, note: "\(first.0) is used here")) }
        return [factory.make(
            "Jitsi modules are used (\(shown)) but plugin_paths \(existing == nil ? "is not set" : "has no Jitsi plugin directory"): "
                + "Prosody does not find them unless they were copied into its own module directory",
            at: existing?.location ?? first.1, related: related,
            fix: FixSuggestion("Add the Jitsi plugin directory to the global plugin_paths, e.g. plugin_paths = { "
                               + "\"/usr/share/jitsi-meet/prosody-plugins/\" } (docker: \"/prosody-plugins/\")."),
            confidence: .likely)]
    }

    // MARK: JIT609 / JIT610

    static func waitForHostAutoOwners(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let layout = jitsiLayout(context) else { return [] }
        return layout.mucComponents.compactMap { muc in
            let modules = layout.modules(of: muc)
            guard modules.contains("muc_wait_for_host"),
                  let role = modules.intersection(JitsiLayout.tokenRoleModules).sorted().first,
                  !layout.isTrue("wait_for_host_disable_auto_owners", in: muc) else { return nil }
            let existing = layout.option("wait_for_host_disable_auto_owners", in: muc)
            var edits: [TextEdit] = []
            if let existing, muc.option("wait_for_host_disable_auto_owners") != nil {
                if let e = JitsiEdits.replaceLiteralValue(existing, with: "true", context.sources) { edits.append(e) }
            } else if let d = layout.declaration(of: muc),
                      let e = JitsiEdits.insertLine("wait_for_host_disable_auto_owners = true", after: d, context.sources) {
                edits.append(e)
            }
            var related: [RelatedLocation] = []
            if let s = layout.moduleSource(role, of: muc) { related.append(RelatedLocation(s.location, note: "\(role) is loaded here")) }
            return factory.make(
                "\"\(muc.name)\" loads muc_wait_for_host and \(role) without wait_for_host_disable_auto_owners = true: "
                    + "muc_wait_for_host makes every token holder an owner, overriding the affiliation from the token",
                at: existing?.location ?? layout.moduleSource("muc_wait_for_host", of: muc)?.location ?? layout.declaration(of: muc),
                related: related,
                fix: FixSuggestion("Set wait_for_host_disable_auto_owners = true in Component \"\(muc.name)\".", edits: edits))
        }
    }

    static func allownersWithTokenRoles(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let layout = jitsiLayout(context) else { return [] }
        return layout.mucComponents.compactMap { muc in
            let modules = layout.modules(of: muc)
            guard modules.contains("muc_allowners"),
                  let role = modules.intersection(JitsiLayout.tokenRoleModules).sorted().first,
                  layout.option("allowners_moderated_subdomains", in: muc) == nil,
                  layout.option("allowners_moderated_rooms", in: muc) == nil else { return nil }
            let source = layout.moduleSource("muc_allowners", of: muc)
            let edit = source.flatMap { s in muc.option("modules_enabled") != nil
                ? JitsiEdits.removeListItem("muc_allowners", in: s.location, context.sources) : nil }
            var related: [RelatedLocation] = []
            if let s = layout.moduleSource(role, of: muc) { related.append(RelatedLocation(s.location, note: "\(role) is loaded here")) }
            return factory.make(
                "\"\(muc.name)\" loads both muc_allowners and \(role): muc_allowners makes every participant an owner, so "
                    + "the roles from the tokens have no effect",
                at: source?.location ?? layout.declaration(of: muc), related: related,
                fix: FixSuggestion("Remove \"muc_allowners\" from modules_enabled of \"\(muc.name)\".", edits: edit.map { [$0] } ?? []))
        }
    }

    // MARK: JIT611 / JIT612

    static func restrictRoomCreationMissing(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let layout = jitsiLayout(context), let muc = layout.mainMUC,
              layout.admins(of: muc).contains(where: { $0.hasPrefix("focus@") }),
              layout.option("restrict_room_creation", in: muc) == nil else { return [] }
        let edit = layout.declaration(of: muc).flatMap {
            JitsiEdits.insertLine("restrict_room_creation = true", after: $0, context.sources)
        }
        return [factory.make(
            "The conference MUC \"\(muc.name)\" does not set restrict_room_creation: any logged-in client can create "
                + "rooms directly in the MUC, bypassing jicofo (the Jitsi template sets it to true)",
            at: layout.declaration(of: muc),
            fix: FixSuggestion("Set restrict_room_creation = true in Component \"\(muc.name)\" (only admins such as the focus user create rooms).",
                               edits: edit.map { [$0] } ?? []))]
    }

    static func boshConsideredInsecure(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let layout = jitsiLayout(context), let configuration = context.configuration else { return [] }
        if configuration.global["consider_bosh_secure"]?.isTruthy == true
            || configuration.global["consider_websocket_secure"]?.isTruthy == true { return [] }
        if layout.isFragment { return [] }
        let clientAuth: Set<String> = ["token", "anonymous", "jitsi-anonymous"]
        return configuration.virtualHosts.compactMap { host in
            guard clientAuth.contains(layout.authentication(of: host)) else { return nil }
            let require = layout.option("c2s_require_encryption", in: host)
            guard require?.value.isTruthy ?? true else { return nil }
            return factory.make(
                "VirtualHost \"\(host.name)\" (authentication = \"\(layout.authentication(of: host))\") requires encryption "
                    + "(c2s_require_encryption is \(require == nil ? "unset, default true" : "true")) and BOSH/WebSocket are "
                    + "not considered secure: behind a TLS-terminating proxy, Prosody may offer no SASL mechanism",
                at: require?.location ?? layout.declaration(of: host),
                fix: FixSuggestion("Set consider_bosh_secure = true and consider_websocket_secure = true globally (TLS ends "
                                   + "at the proxy), or c2s_require_encryption = false on \"\(host.name)\" as the Jitsi template does."),
                confidence: .possible)
        }
    }
}

extension JitsiStructureRules {
    // MARK: JIT613

    static func serviceHostWithoutPasswords(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let layout = jitsiLayout(context) else { return [] }
        let wrong: Set<String> = ["token", "anonymous", "jitsi-anonymous"]
        return layout.serviceHosts.compactMap { host in
            let auth = layout.authentication(of: host)
            guard wrong.contains(auth) else { return nil }
            let own = host.option("authentication")
            let option = own ?? layout.option("authentication", in: host)
            var related: [RelatedLocation] = []
            if own == nil, let d = layout.declaration(of: host) {
                related.append(RelatedLocation(d, note: "VirtualHost \"\(host.name)\" inherits the global authentication"))
            }
            var edits: [TextEdit] = []
            if let own {
                if let e = JitsiEdits.replaceLiteral(auth, with: "internal_hashed", in: own.location, context.sources) { edits.append(e) }
            } else if let d = layout.declaration(of: host),
                      let e = JitsiEdits.insertLine("authentication = \"internal_hashed\"", after: d, context.sources) {
                edits.append(e)
            }
            return factory.make(
                "VirtualHost \"\(host.name)\" holds the jicofo/videobridge accounts but uses authentication = \"\(auth)\"\(own == nil ? " (inherited from the global section)" : ""): "
                    + "focus and jvb log in with passwords, so they cannot connect (or anyone can log in as them)",
                at: option?.location ?? layout.declaration(of: host), related: related,
                fix: FixSuggestion("Set authentication = \"internal_hashed\" in VirtualHost \"\(host.name)\".", edits: edits))
        }
    }
}

extension JitsiEdits {
    /// Replaces a boolean value in an assignment (`x = false` → `x = true`).
    static func replaceLiteralValue(_ option: ConfigOption, with text: String, _ sources: SourceFiles) -> TextEdit? {
        guard let bytes = sources.texts[option.location.file],
              let (start, end) = assignmentExtent(option.location, bytes) else { return nil }
        guard let equals = find(Array("=".utf8), in: bytes, from: start, to: end) else { return nil }
        var valueStart = equals + 1
        while valueStart < end, bytes[valueStart] == UInt8(ascii: " ") || bytes[valueStart] == UInt8(ascii: "\t") { valueStart += 1 }
        var valueEnd = valueStart
        while valueEnd < end, JitsiDeployment.isAlphanumeric(Unicode.Scalar(bytes[valueEnd])) { valueEnd += 1 }
        let word = String(decoding: bytes[valueStart..<valueEnd], as: UTF8.self)
        guard word == "false" || word == "nil" else { return nil }
        return TextEdit(location: SourceLocation(file: option.location.file, range: range(valueStart, valueEnd, in: bytes)),
                        replacement: text)
    }
}
