import LuaSyntax
import ProsodyConfig

/// OPT2xx: every check `prosodyctl check config` performs (0.12.3, 0.12.4+, 13), with
/// a line number, plus the unknown-option typo check prosodyctl does not have.
enum ProsodyctlParityRules {
    static let all: [RuleImplementation] = [
        RuleImplementation("OPT201", check: noGlobalOptions),
        RuleImplementation("OPT202", check: noEnabledHosts),
        RuleImplementation("OPT203", check: noGlobalModulesEnabled),
        RuleImplementation("OPT204", check: componentModuleEnabledGlobally),
        RuleImplementation("OPT205", check: obsoleteOption),
        RuleImplementation("OPT206", check: deprecatedOption),
        RuleImplementation("OPT207", check: globalOnlyOptionInHost),
        RuleImplementation("OPT208", check: serviceLabelHostName),
        RuleImplementation("OPT209", check: modPrefixInModules),
        RuleImplementation("OPT210", check: authModuleInModules),
        RuleImplementation("OPT211", check: storageModuleInModules),
        RuleImplementation("OPT212", check: conflictingModules),
        RuleImplementation("OPT213", check: redundantDefaultStorage),
        RuleImplementation("OPT214", check: tlsModuleMissing),
        RuleImplementation("OPT215", check: publicRegistration),
        RuleImplementation("OPT216", check: unreferencedComponent),
        RuleImplementation("OPT217", check: moduleListNotAList),
        RuleImplementation("OPT218", check: invalidHostName),
        RuleImplementation("OPT219", check: posixModuleDeprecated),
        RuleImplementation("OPT220", check: adminTelnetReplaced),
        RuleImplementation("OPT221", check: invalidDiscoItems),
        RuleImplementation("OPT222", check: unknownOption),
    ]

    // MARK: helpers

    static func facts(_ context: AnalysisContext) -> ConfigFacts? {
        context.configFacts
    }

    /// The start of the main config file (for findings about the config as a whole).
    static func fileStart(_ facts: ConfigFacts) -> SourceLocation? {
        guard let main = facts.configuration.files.last else { return nil }
        let origin = SourcePosition(offset: 0, line: 1, column: 1)
        return SourceLocation(file: main, range: SourceRange(start: origin, end: origin))
    }

    static func firstDeclaration(_ facts: ConfigFacts) -> SourceLocation? {
        facts.hosts.compactMap(\.declarations.first).min { ($0.file, $0.range.start.offset) < ($1.file, $1.range.start.offset) }
    }

    static let fragmentNote = " This file looks like a fragment included from a main config; check the main config instead."

    // MARK: C1

    static func noGlobalOptions(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let facts = facts(context), facts.configuration.fatalProblemIsAbsent else { return [] }
        guard facts.global.options.allSatisfy({ $0.name == "log" }) else { return [] }
        let fragment = facts.looksLikeFragment
        let location = firstDeclaration(facts) ?? fileStart(facts)
        let what = facts.hosts.isEmpty
            ? "No global options are set: the global section (server-wide settings such as admins and modules_enabled) is empty."
            : "No global options are set: the config starts with a host definition, so every option after it belongs to that host."
        return [factory.make(
            what + (fragment ? fragmentNote : ""),
            at: location,
            fix: FixSuggestion("Put the server-wide options (admins, modules_enabled, log, ...) at the top of the main config, before the first VirtualHost or Component."),
            confidence: fragment ? .possible : .certain)]
    }

    // MARK: C2

    static func noEnabledHosts(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let facts = facts(context), facts.configuration.fatalProblemIsAbsent else { return [] }
        // Prosody's start-up check wants an enabled VirtualHost; components do not count
        // (prosodyctl counts them, so it misses a config of components only).
        let virtualHosts = facts.hosts.filter(\.isVirtualHost)
        guard !virtualHosts.contains(where: facts.isEnabled) else { return [] }
        let fragment = facts.looksLikeFragment
        let severity: Severity? = fragment ? .info : nil
        let note = fragment ? fragmentNote : ""
        if virtualHosts.isEmpty {
            // Without hosts and without a global module list this is a snippet or an included
            // part rather than a main config: say so softly.
            let includesMissing = facts.configuration.problems.contains {
                if case .includeNotFound = $0.kind { return true }
                return false
            }
            let mainConfig = !fragment && !includesMissing && facts.global.option("modules_enabled") != nil
            return [factory.make("No VirtualHost is defined, so Prosody has nothing to serve and refuses to start." +
                                 (mainConfig ? "" : " (If this file is included from a main config that declares the hosts, ignore this.)"),
                                 at: fileStart(facts),
                                 fix: FixSuggestion("Add at least one VirtualHost section, e.g. VirtualHost \"example.com\"."),
                                 confidence: mainConfig ? .certain : .possible, severity: mainConfig ? nil : .info)]
        }
        if let option = facts.global.option("enabled"), option.value.boolValue == false {
            return [factory.make("enabled = false in the global section disables every host, so Prosody refuses to start." + note,
                                 at: option.location,
                                 related: virtualHosts.compactMap(\.declarations.first).map { RelatedLocation($0, note: "disabled host") },
                                 fix: FixSuggestion("Remove enabled = false from the global section, or set enabled = true under at least one VirtualHost."),
                                 severity: severity)]
        }
        let disabled = virtualHosts.compactMap { $0.option("enabled") }
        return [factory.make("All VirtualHosts are disabled (\(virtualHosts.map(\.name).joined(separator: ", "))), so Prosody refuses to start." + note,
                             at: disabled.first?.location ?? firstDeclaration(facts),
                             related: disabled.dropFirst().map { RelatedLocation($0.location, note: "also disabled here") },
                             fix: FixSuggestion("Remove enabled = false from at least one VirtualHost."),
                             severity: severity)]
    }

    // MARK: C3

    static func noGlobalModulesEnabled(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let facts = facts(context), facts.configuration.fatalProblemIsAbsent else { return [] }
        guard facts.global.option("modules_enabled") == nil else { return [] }
        let hostLists = facts.enabledHosts.filter { $0.componentModule == nil }
            .compactMap { $0["modules_enabled"]?.stringList }.map(Set.init)
        var shared = hostLists.first ?? []
        for list in hostLists.dropFirst() { shared.formIntersection(list) }
        var message = "No global modules_enabled is set: hosts only get the autoloaded modules and their own lists."
        var fixText = "Set modules_enabled in the global section with the modules every host needs."
        if !shared.isEmpty {
            let names = shared.sorted().map { "\"\($0)\"" }.joined(separator: ", ")
            message += " Modules every host lists: \(names)."
            fixText = "Move the modules every host lists into a global modules_enabled = { \(names) }."
        }
        if facts.looksLikeFragment { message += fragmentNote }
        return [factory.make(message, at: firstDeclaration(facts) ?? fileStart(facts), fix: FixSuggestion(fixText),
                             confidence: facts.looksLikeFragment ? .possible : .certain)]
    }

    // MARK: C4

    static func componentModuleEnabledGlobally(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let facts = facts(context), let globalList = facts.global.option("modules_enabled"),
              let modules = globalList.value.stringList else { return [] }
        return facts.enabledHosts.compactMap { host in
            guard let module = host.componentModule, module != "component", modules.contains(module) else { return nil }
            return factory.make(
                "mod_\(module) is in the global modules_enabled and is also the module of Component \"\(host.name)\": it is loaded on every VirtualHost as well as on the component.",
                at: facts.literalLocation(module, after: globalList.location) ?? globalList.location,
                related: host.declarations.map { RelatedLocation($0, note: "Component \"\(host.name)\" \"\(module)\"") },
                fix: FixSuggestion("Remove \"\(module)\" from the global modules_enabled; the Component already loads it."))
        }
    }

    // MARK: C5 / C6

    static func obsoleteOption(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let facts = facts(context) else { return [] }
        let names = KnownOptions.obsolete(for: context.prosodyRelease)
        return facts.globalAndHosts.flatMap { section in
            section.options.matching { names.contains($0) }.map { option in
                factory.make("\(option.name) is obsolete: Prosody no longer reads it (in \(ConfigFacts.describe(section))).",
                             at: option.location,
                             fix: FixSuggestion("Remove the \(option.name) line.",
                                                edits: facts.lineDeletion(of: option).map { [$0] } ?? []))
            }
        }
    }

    static func deprecatedOption(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let facts = facts(context) else { return [] }
        let release = context.prosodyRelease
        return facts.globalAndHosts.flatMap { section in
            section.options.matching { KnownOptions.isDeprecated($0, in: release) }.compactMap { option -> Finding? in
                guard let deprecation = KnownOptions.deprecated[option.name] else { return nil }
                var edits: [TextEdit] = []
                if let newName = deprecation.renameTo, section.option(newName) == nil,
                   let location = facts.nameLocation(option.name, at: option.location) {
                    edits.append(TextEdit(location: location, replacement: newName))
                }
                return factory.make("\(option.name) is deprecated (in \(ConfigFacts.describe(section))): \(deprecation.advice).",
                                    at: option.location,
                                    fix: FixSuggestion(deprecation.renameTo.map { "Rename \(option.name) to \($0)." }
                                                       ?? "Replace \(option.name): \(deprecation.advice).", edits: edits))
            }
        }
    }

    // MARK: C7

    static func globalOnlyOptionInHost(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let facts = facts(context) else { return [] }
        return facts.hosts.flatMap { section in
            section.options.matching { KnownOptions.isGlobalOnly($0) }.map { option in
                let globalValue = facts.global.option(option.name)
                return factory.make(
                    "\(option.name) is set under \(ConfigFacts.describe(section)), but Prosody only reads it from the global section: here it has no effect.",
                    at: option.location,
                    related: globalValue.map { [RelatedLocation($0.location, note: "the global value that applies")] } ?? [],
                    fix: FixSuggestion("Move \(option.name) above the first VirtualHost/Component (the global section)."))
            }
        }
    }

    // MARK: C8

    static func serviceLabelHostName(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let facts = facts(context) else { return [] }
        return facts.enabledHosts.filter(\.isVirtualHost).compactMap { host in
            let labels = host.name.split(separator: ".", omittingEmptySubsequences: false)
            guard labels.count >= 3, ["jabber", "xmpp", "chat", "im"].contains(String(labels[0])) else { return nil }
            let domain = labels.dropFirst().joined(separator: ".")
            return factory.make(
                "VirtualHost \"\(host.name)\" puts a service label in front of the domain; users get addresses like user@\(host.name) instead of user@\(domain).",
                at: host.declarations.first,
                fix: FixSuggestion("If the host has no real users yet, name it \"\(domain)\" and point SRV records (_xmpp-client._tcp.\(domain)) at \(host.name)."),
                confidence: .possible)
        }
    }

    // MARK: C9–C13

    static func modPrefixInModules(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let facts = facts(context) else { return [] }
        return facts.listedModules(where: { $0.hasPrefix("mod_") }).map { entry in
            let bare = String(entry.module.dropFirst(4))
            let literal = facts.literalLocation(entry.module, after: entry.option.location)
            let quote = literal.flatMap { facts.sources.texts[$0.file]?[$0.range.start.offset] }.map { String(UnicodeScalar($0)) } ?? "\""
            return factory.make(
                "\"\(entry.module)\" in modules_enabled of \(ConfigFacts.describe(entry.section)) has the mod_ prefix, so Prosody looks for mod_\(entry.module) and fails to load it.",
                at: literal ?? entry.option.location,
                fix: FixSuggestion("Write \"\(bare)\" instead of \"\(entry.module)\".",
                                   edits: literal.map { [TextEdit(location: $0, replacement: quote + bare + quote)] } ?? []))
        }
    }

    static func authModuleInModules(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let facts = facts(context) else { return [] }
        return facts.listedModules(where: { $0.hasPrefix("auth_") }).map { entry in
            let provider = String(entry.module.dropFirst(5))
            return factory.make(
                "\"\(entry.module)\" is listed in modules_enabled of \(ConfigFacts.describe(entry.section)); authentication providers are chosen with the authentication option, not loaded as modules.",
                at: facts.literalLocation(entry.module, after: entry.option.location) ?? entry.option.location,
                fix: FixSuggestion("Remove \"\(entry.module)\" from modules_enabled and set authentication = \"\(provider)\"."))
        }
    }

    static func storageModuleInModules(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let facts = facts(context) else { return [] }
        return facts.listedModules(where: { $0.hasPrefix("storage_") }).map { entry in
            let backend = String(entry.module.dropFirst(8))
            return factory.make(
                "\"\(entry.module)\" is listed in modules_enabled of \(ConfigFacts.describe(entry.section)); storage backends are chosen with the storage option, not loaded as modules.",
                at: facts.literalLocation(entry.module, after: entry.option.location) ?? entry.option.location,
                fix: FixSuggestion("Remove \"\(entry.module)\" from modules_enabled and set storage = \"\(backend)\"."))
        }
    }

    static func conflictingModules(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let facts = facts(context) else { return [] }
        let listed = facts.listedModules(where: { $0 == "vcard_legacy" || $0 == "vcard" || $0 == "pep_simple" || $0 == "pep" })
        var findings: [Finding] = []
        for (a, b, keep) in [("vcard_legacy", "vcard", "vcard_legacy (it serves vcard-temp from the PEP avatar and profile)"),
                             ("pep_simple", "pep", "pep")] {
            guard let first = listed.first(where: { $0.module == a }), let second = listed.first(where: { $0.module == b })
            else { continue }
            findings.append(factory.make(
                "mod_\(a) and mod_\(b) are both enabled, but they conflict: they handle the same requests.",
                at: facts.literalLocation(a, after: first.option.location) ?? first.option.location,
                related: [RelatedLocation(facts.literalLocation(b, after: second.option.location) ?? second.option.location,
                                          note: "mod_\(b) enabled here")],
                fix: FixSuggestion("Remove one of them; usually keep \(keep).")))
        }
        return findings
    }

    // MARK: C14

    static func redundantDefaultStorage(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let facts = facts(context) else { return [] }
        return facts.globalAndHosts.compactMap { section in
            guard let storage = section.option("storage"), storage.value.stringValue != nil,
                  let defaultStorage = section.option("default_storage") else { return nil }
            return factory.make(
                "default_storage has no effect in \(ConfigFacts.describe(section)): storage is a single backend name, which already applies to every store.",
                at: defaultStorage.location,
                related: [RelatedLocation(storage.location, note: "storage set here")],
                fix: FixSuggestion("Remove default_storage, or make storage a table of per-store backends.",
                                   edits: facts.lineDeletion(of: defaultStorage).map { [$0] } ?? []))
        }
    }

    // MARK: C17

    static func tlsModuleMissing(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let facts = facts(context), facts.configuration.fatalProblemIsAbsent else { return [] }
        let encryptionOptions = ["require_encryption", "c2s_require_encryption", "s2s_require_encryption"]
        for section in facts.globalAndEnabledHosts
        where encryptionOptions.contains(where: { section.option($0) != nil }) { return [] }
        guard !facts.listsModule(where: { $0 == "tls" }) else { return [] }
        let fragment = facts.looksLikeFragment
        // Escalate only for a main config with a global module list (snippets and included
        // parts often leave tls to the main config).
        let soft = fragment || context.isJitsi || facts.global.option("modules_enabled") == nil
        var message = "mod_tls is not enabled, but Prosody requires encryption by default (c2s_require_encryption and s2s_require_encryption are not set): clients and servers cannot negotiate STARTTLS and their connections will fail."
        if fragment { message += fragmentNote }
        let location = facts.global.option("modules_enabled")?.location ?? firstDeclaration(facts) ?? fileStart(facts)
        return [factory.make(message, at: location,
                             fix: FixSuggestion("Add \"tls\" to the global modules_enabled."),
                             confidence: soft ? .possible : .certain, severity: soft ? .info : nil)]
    }

    // MARK: C18

    static func publicRegistration(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let facts = facts(context) else { return [] }
        return SecurityRules.openRegistrationHosts(facts).map { open in
            factory.make(
                "Public in-band registration is open on VirtualHost \"\(open.host.name)\": anyone can create an account.",
                at: open.location,
                related: open.related,
                fix: FixSuggestion("If this is not a public server, set allow_registration = false or switch to invite-based registration (modules \"invites\", \"invites_register\" with registration_invite_only = true)."))
        }
    }

    // MARK: C19

    static func unreferencedComponent(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let facts = facts(context) else { return [] }
        let enabledNames = Set(facts.enabledHosts.map(\.name))
        var referenced = Set<String>()
        for section in facts.globalAndEnabledHosts {
            guard let items = section["disco_items"]?.tableValue else { continue }
            for item in items.arrayValues {
                if let jid = item.tableValue?.arrayValues.first?.stringValue { referenced.insert(jid) }
            }
        }
        return facts.enabledHosts.compactMap { component in
            guard component.componentModule != nil, !ConfigFacts.isBareJID(component.name) else { return nil }
            let parent = component.name.split(separator: ".", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
            guard !enabledNames.contains(parent), !referenced.contains(component.name) else { return nil }
            return factory.make(
                "Component \"\(component.name)\" is not a direct sub-domain of any enabled host and no disco_items lists it, so clients may not discover it.",
                at: component.declarations.first,
                fix: FixSuggestion("Name it as a sub-domain of a VirtualHost, or add disco_items = { { \"\(component.name)\", \"description\" } } to the VirtualHost whose users need it."),
                confidence: .likely)
        }
    }

    // MARK: 0.12.4 additions

    static func moduleListNotAList(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let facts = facts(context) else { return [] }
        var findings: [Finding] = []
        for section in facts.globalAndHosts {
            for name in ["modules_enabled", "modules_disabled"] {
                guard let option = section.option(name) else { continue }
                let value = option.value
                if value.isDynamic { continue }
                var problem: String?
                if let table = value.tableValue {
                    let strings = table.arrayValues.allSatisfy { $0.stringValue != nil }
                    if !table.isList || !strings {
                        let extras = table.entries.compactMap { entry -> String? in
                            if case .string(let k) = entry.key { return k }
                            return nil
                        }
                        problem = "contains key = value pairs or non-string entries" +
                            (extras.isEmpty ? "" : " (\(extras.prefix(5).joined(separator: ", ")))") +
                            ", which Prosody skips"
                    }
                } else {
                    problem = "is a \(value.typeName), not a list, so Prosody treats it as empty"
                }
                guard let problem else { continue }
                findings.append(factory.make(
                    "\(name) in \(ConfigFacts.describe(section)) \(problem).",
                    at: option.location,
                    fix: FixSuggestion("Write \(name) as a list of module names: \(name) = { \"name_of_module\", \"another_module\" }.")))
            }
        }
        return findings
    }

    static func invalidHostName(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let facts = facts(context) else { return [] }
        return facts.hosts.compactMap { section in
            guard let reason = invalidHostNameReason(section.name) else { return nil }
            return factory.make("Host name \"\(section.name)\" \(reason): clients may fail to log in and remote servers to reach it.",
                                at: section.declarations.first,
                                fix: FixSuggestion("Use a valid domain name (renaming a host does not migrate its accounts and data)."),
                                confidence: .likely)
        }
    }

    static let xnLabelReason = "is written in its ASCII-compatible (xn--) form; Prosody expects the Unicode form and users' addresses will not match"
    static let emptyLabelReason = "has an empty label (a leading, trailing or doubled dot)"
    static let longLabelReason = "has a label longer than 63 bytes"
    static let placeholderReason = "looks like an unfilled template placeholder, which is not a valid domain name"
    static let forbiddenCharacterReason = "contains characters that are not allowed in a domain name"

    /// Why a host name is not a usable domain name, nil when it is.
    static func invalidHostNameReason(_ name: String) -> String? {
        var name = name
        // An ASCII name without `@` (nearly every host): one pass over the bytes, the same
        // checks in the same order as below.
        let fast: String?? = name.withUTF8 { bytes -> String?? in
            guard !bytes.contains(where: { $0 >= 0x80 || $0 == UInt8(ascii: "@") }) else { return nil }
            var xn = false, empty = false, long = false, placeholder = false, forbidden = false
            var start = 0
            for end in 0...bytes.count where end == bytes.count || bytes[end] == UInt8(ascii: ".") {
                let length = end - start
                if length == 0 { empty = true }
                if length > 63 { long = true }
                if length >= 4, bytes[start] | 0x20 == UInt8(ascii: "x"), bytes[start + 1] | 0x20 == UInt8(ascii: "n"),
                   bytes[start + 2] == UInt8(ascii: "-"), bytes[start + 3] == UInt8(ascii: "-") { xn = true }
                start = end + 1
            }
            for byte in bytes {
                switch byte {
                case 0x3C, 0x7B, 0x24, 0x25: placeholder = true
                case 0x20, 0x09, 0x2F, 0x5C, 0x22, 0x27, 0x3E: forbidden = true
                default: break
                }
            }
            if xn { return .some(xnLabelReason) }
            if empty { return .some(emptyLabelReason) }
            if long { return .some(longLabelReason) }
            if placeholder { return .some(placeholderReason) }
            if forbidden { return .some(forbiddenCharacterReason) }
            return .some(nil)
        }
        if let fast { return fast }
        let domain = name.split(separator: "@").last.map(String.init) ?? name
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if labels.contains(where: { $0.lowercased().hasPrefix("xn--") }) { return xnLabelReason }
        if labels.contains(where: \.isEmpty) { return emptyLabelReason }
        if labels.contains(where: { $0.utf8.count > 63 }) { return longLabelReason }
        if domain.contains("<") || domain.contains("{") || domain.contains("$") || domain.contains("%") { return placeholderReason }
        if domain.contains(where: { $0 == " " || $0 == "\t" || $0 == "/" || $0 == "\\" || $0 == "\"" || $0 == "'" || $0 == "<" || $0 == ">" }) {
            return forbiddenCharacterReason
        }
        return nil
    }

    // MARK: 13 additions

    static func posixModuleDeprecated(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let facts = facts(context) else { return [] }
        let is13 = context.prosodyRelease == .v13
        return facts.listedModules(where: { $0 == "posix" }).map { entry in
            let literal = facts.literalLocation("posix", after: entry.option.location)
            return factory.make(is13
                                ? "mod_posix is listed in modules_enabled of \(ConfigFacts.describe(entry.section)); it is deprecated in Prosody 13, which no longer needs it."
                                : "mod_posix is listed in modules_enabled of \(ConfigFacts.describe(entry.section)); Prosody 0.12 loads it automatically, and 13 deprecates it.",
                                at: literal ?? entry.option.location,
                                fix: FixSuggestion("Remove \"posix\" from modules_enabled."),
                                severity: is13 ? nil : .hint)
        }
    }

    static func adminTelnetReplaced(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let facts = facts(context) else { return [] }
        let is13 = context.prosodyRelease == .v13
        return facts.listedModules(where: { $0 == "admin_telnet" }).map { entry in
            let literal = facts.literalLocation("admin_telnet", after: entry.option.location)
            let quote = literal.flatMap { facts.sources.texts[$0.file]?[$0.range.start.offset] }.map { String(UnicodeScalar($0)) } ?? "\""
            return factory.make("mod_admin_telnet is listed in modules_enabled of \(ConfigFacts.describe(entry.section)); it is superseded by mod_admin_shell (prosodyctl shell)\(is13 ? ", and Prosody 13 is replacing it" : "").",
                                at: literal ?? entry.option.location,
                                fix: FixSuggestion("Change \"admin_telnet\" to \"admin_shell\".",
                                                   edits: literal.map { [TextEdit(location: $0, replacement: quote + "admin_shell" + quote)] } ?? []),
                                severity: is13 ? nil : .hint)
        }
    }

    static func invalidDiscoItems(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let facts = facts(context) else { return [] }
        return facts.globalAndHosts.compactMap { section in
            guard let option = section.option("disco_items"), let table = option.value.tableValue else { return nil }
            let bad = table.arrayValues.filter { item in
                guard let entry = item.tableValue else { return true }
                return entry.arrayValues.first?.stringValue == nil
            }
            guard !bad.isEmpty else { return nil }
            return factory.make(
                "disco_items in \(ConfigFacts.describe(section)) has \(bad.count) entr\(bad.count == 1 ? "y" : "ies") that \(bad.count == 1 ? "is" : "are") not of the form { \"jid\", \"name\" }; mod_disco fails on them.",
                at: option.location,
                fix: FixSuggestion("Write each item as a table whose first element is the JID: disco_items = { { \"conference.example.com\", \"Chatrooms\" } }."))
        }
    }

    // MARK: unknown options

    static func unknownOption(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let facts = facts(context) else { return [] }
        var findings: [Finding] = []
        for section in facts.globalAndHosts {
            for option in section.options.matching({ !KnownOptions.isKnown($0) }) {
                if option.name.first?.isUppercase == true { continue } // Lua globals such as helpers
                if let suggestion = KnownOptions.suggestion(for: option.name), suggestion != option.name {
                    let edit = facts.nameLocation(option.name, at: option.location)
                        .map { TextEdit(location: $0, replacement: suggestion) }
                    findings.append(factory.make(
                        "Unknown option \(option.name) in \(ConfigFacts.describe(section)); did you mean \(suggestion)? As written it is ignored.",
                        at: option.location,
                        fix: FixSuggestion("Rename \(option.name) to \(suggestion).", edits: edit.map { [$0] } ?? []),
                        confidence: .likely, severity: .warning))
                } else if !KnownOptions.belongsToModule(option.name, loadedModules: facts.allModuleNames(release: context.prosodyRelease)) {
                    findings.append(factory.make(
                        "Option \(option.name) in \(ConfigFacts.describe(section)) is not read by Prosody or by any module this config loads that prosody-doctor knows; it may be a leftover or belong to a community module.",
                        at: option.location,
                        fix: FixSuggestion("Check the spelling against the module's documentation, or remove the option if nothing uses it."),
                        confidence: .possible, severity: .info))
                }
            }
        }
        return findings
    }
}

extension Array where Element == ConfigOption {
    /// The options whose name satisfies `test`, in order (`filter { test($0.name) }` without
    /// copying every option to look at its name).
    func matching(_ test: (String) -> Bool) -> [ConfigOption] {
        var result: [ConfigOption] = []
        for index in indices where test(self[index].name) { result.append(self[index]) }
        return result
    }
}

extension ProsodyConfiguration {
    /// True unless the loader recorded a problem that stops Prosody (then "whole config"
    /// checks would describe a half-loaded config).
    var fatalProblemIsAbsent: Bool {
        !problems.contains { problem in
            switch problem.kind {
            case .syntaxError, .runtimeError, .includeCycle, .byteOrderMarkOrShebang, .notText, .unreadableFile,
                 .hostComponentClash: return true
            default: return false
            }
        }
    }
}
