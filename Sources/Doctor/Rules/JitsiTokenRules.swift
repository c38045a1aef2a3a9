import LuaSyntax
import ProsodyConfig

/// JWT5xx: Jitsi Meet token ("JWT") authentication, read off the config model.
/// Scoping follows research jitsi-token-auth §2.0: mod_auth_token reads the VirtualHost with
/// `authentication = "token"` (then global); token_verification reads the MUC's parent host.
enum JitsiTokenRules {
    static let all: [RuleImplementation] = [
        RuleImplementation("JWT501", check: guestHostUsesToken),
        RuleImplementation("JWT502", check: emptyTokenMasksMissingToken),
        RuleImplementation("JWT503", check: tokenAffiliationMissing),
        RuleImplementation("JWT504", check: appCredentialsMissing),
        RuleImplementation("JWT505", check: tokenVerificationMissing),
        RuleImplementation("JWT506", check: tokenOptionInWrongSection),
        RuleImplementation("JWT507", check: emptyAppSecret),
        RuleImplementation("JWT508", check: guestDomainInAllowlist),
        RuleImplementation("JWT509", check: verificationOnCompanionMUC),
        RuleImplementation("JWT510", check: verificationWithoutParentHost),
        RuleImplementation("JWT511", check: weakAppSecret),
        RuleImplementation("JWT512", check: tokenModerationTrustsRawTokens),
        RuleImplementation("JWT513", check: signatureAlgorithmMismatch),
        RuleImplementation("JWT514", check: keyServerIsJWKS),
        RuleImplementation("JWT515", check: waitForHostTrustsGuestTokens),
        RuleImplementation("JWT516", check: verificationWithoutTokenLogin),
        RuleImplementation("JWT517", check: mucTokenOptionOnHost),
    ]

    /// Token rules only look at Jitsi-like configs (token auth, Jitsi modules or plugin path).
    static func layout(_ context: AnalysisContext) -> JitsiLayout? {
        context.jitsiLayout
    }

    static func describe(_ reason: JitsiLayout.TokenReaderReason) -> String {
        switch reason {
        case .authentication: "read by mod_auth_token"
        case .verifierParent(let muc): "read by token_verification on \"\(muc.name)\""
        }
    }

    /// Where a reader host is best pointed at: its `authentication` line, or the token_verification entry.
    static func readerLocation(_ layout: JitsiLayout, _ host: ConfigSection,
                               _ reason: JitsiLayout.TokenReaderReason) -> SourceLocation? {
        switch reason {
        case .authentication:
            return host.option("authentication")?.location ?? layout.declaration(of: host)
                ?? layout.option("authentication", in: host)?.location
        case .verifierParent(let muc):
            return layout.moduleSource("token_verification", of: muc)?.location ?? layout.declaration(of: muc)
        }
    }

    static func hasKeySource(_ layout: JitsiLayout, _ host: ConfigSection) -> Bool {
        layout.option("asap_key_server", in: host) != nil || layout.option("cache_keys_url", in: host) != nil
    }

    // MARK: JWT501

    static func guestHostUsesToken(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let layout = layout(context), let main = layout.mainHost else { return [] }
        let owners = layout.hostsWithConferenceMUC
        let muc = layout.mainMUC
        let services = Set(layout.serviceHosts.map(\.name))   // JIT613 reports those
        return layout.tokenHosts.filter {
            $0.name != main.name && !owners.contains($0.name) && !services.contains($0.name)
        }.map { host in
            let own = host.option("authentication")
            let auth = own ?? layout.option("authentication", in: host)
            var related: [RelatedLocation] = []
            if let d = layout.declaration(of: main) {
                related.append(RelatedLocation(d, note: "main VirtualHost \"\(main.name)\": clients with a token always connect here"))
            }
            if let muc, let d = layout.declaration(of: muc) {
                related.append(RelatedLocation(d, note: "conference MUC \"\(muc.name)\" belongs to \"\(main.name)\""))
            }
            if own == nil, let d = layout.declaration(of: host) {
                related.append(RelatedLocation(d, note: "VirtualHost \"\(host.name)\" inherits the global authentication"))
            }
            let isGuestNamed = JitsiDeployment.firstLabel(host.name) == "guest"
            var message = "VirtualHost \"\(host.name)\" uses authentication = \"token\" but it is not the main host "
                + "\"\(main.name)\"\(muc.map { " (the one the conference MUC \"\($0.name)\" belongs to)" } ?? ""): "
                + "the web client always connects to the main domain when it has a token, so this host only serves "
                + "tokenless guests"
            let extra = JitsiLayout.tokenOptionNames.filter { host.option($0) != nil }
            if !extra.isEmpty {
                message += "; its \(extra.joined(separator: ", ")) are then needed only to make token auth load at all"
            }
            // Switch the host to jitsi-anonymous and drop its token options, all or nothing.
            var edits: [TextEdit] = []
            if let own, let edit = JitsiEdits.replaceLiteral("token", with: "jitsi-anonymous", in: own.location, context.sources) {
                let deletions = extra.compactMap { host.option($0) }.map { JitsiEdits.deleteAssignmentLine($0.location, context.sources) }
                if deletions.allSatisfy({ $0 != nil }) { edits = [edit] + deletions.compactMap { $0 } }
            }
            let fix = FixSuggestion(
                "Set authentication = \"jitsi-anonymous\" on \"\(host.name)\" and remove its token options"
                    + "\(extra.isEmpty ? "" : " (\(extra.joined(separator: ", ")))"), or delete the host and the web "
                    + "client's anonymousdomain to use a single token domain (design d2).",
                edits: edits)
            return factory.make(message, at: auth?.location ?? layout.declaration(of: host), related: related, fix: fix,
                                confidence: isGuestNamed ? .certain : .likely)
        }
    }

    // MARK: JWT502

    static func emptyTokenMasksMissingToken(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let layout = layout(context) else { return [] }
        let main = layout.mainHost
        let guests = layout.guestHosts
        let owners = layout.hostsWithConferenceMUC
        return layout.tokenHosts.compactMap { host in
            guard let option = layout.option("allow_empty_token", in: host), option.value.isTruthy == true else { return nil }
            // A token host serving only guests is JWT501's finding; its allow_empty_token goes with it.
            if let main, host.name != main.name, !owners.contains(host.name) { return nil }
            var related: [RelatedLocation] = []
            if host.option("allow_empty_token") == nil, let d = layout.declaration(of: host) {
                related.append(RelatedLocation(d, note: "VirtualHost \"\(host.name)\" inherits the global value"))
            }
            let isMain = host.name == main?.name
            let muc = layout.conferenceMUC(of: host)
            if let muc, let d = layout.declaration(of: muc) {
                related.append(RelatedLocation(d, note: "tokenless sessions also pass token_verification on \"\(muc.name)\""))
            }
            for guest in guests.prefix(3) {
                if let d = layout.declaration(of: guest) {
                    related.append(RelatedLocation(d, note: "guests already have their own VirtualHost \"\(guest.name)\""))
                }
            }
            let roleModule = muc.map { !layout.modules(of: $0).isDisjoint(with: JitsiLayout.tokenRoleModules) } ?? false
            // Design d1 (the handbook's token + guests setup): guests wait on their own anonymous
            // host until a token holder arrives (muc_wait_for_host); allow_empty_token is required there.
            let waitsForHost = muc.map { layout.modules(of: $0).contains("muc_wait_for_host") } ?? false
            if isMain && !guests.isEmpty && waitsForHost { return nil }
            // Design d2: one token domain, tokenless users as guests on purpose, claims mapped to roles.
            let looksLikeD2 = isMain && guests.isEmpty && roleModule
            var message = "allow_empty_token = true on token VirtualHost \"\(host.name)\": a session whose token was lost "
                + "on the way (a proxy dropping the query string, the session hook not running, a client on the "
                + "guest domain) logs in as a tokenless guest and passes room verification, and no error is ever logged"
            if looksLikeD2 {
                message += "; this looks like the single-domain design with guests (d2), where that is intended: keep it "
                    + "only if a token holder logging in is verified after every upgrade"
            }
            let fix = FixSuggestion(
                looksLikeD2
                    ? "If tokenless guests on \"\(host.name)\" are intended, keep the option and check that a test login with "
                        + "a token is verified (the token_verification debug line must show the token); otherwise set "
                        + "allow_empty_token = false."
                    : guests.isEmpty
                        ? "Set allow_empty_token = false on \"\(host.name)\" and let guests use a separate anonymous "
                            + "VirtualHost (config.js hosts.anonymousdomain), so that a missing token fails loudly."
                        : "Choose one place for guests: keep them on \(guests.map { "\"\($0.name)\"" }.joined(separator: ", ")) "
                            + "and set allow_empty_token = false on \"\(host.name)\" so that a missing token fails loudly, or "
                            + "remove the guest host and keep tokenless users on \"\(host.name)\" on purpose (design d2, "
                            + "with token_affiliation on the MUC).")
            return factory.make(message, at: option.location, related: related, fix: fix,
                                confidence: looksLikeD2 ? .possible : .likely)
        }
    }

    // MARK: JWT503

    static func tokenAffiliationMissing(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let layout = layout(context) else { return [] }
        let owners = layout.hostsWithConferenceMUC
        return layout.tokenHosts.compactMap { host in
            guard owners.contains(host.name) || host.name == layout.mainHost?.name,
                  let empty = layout.option("allow_empty_token", in: host), empty.value.isTruthy == true,
                  let muc = layout.conferenceMUC(of: host) else { return nil }
            let modules = layout.modules(of: muc)
            guard modules.isDisjoint(with: JitsiLayout.tokenRoleModules) else { return nil }
            // muc_wait_for_host makes the arriving token holder owner (unless told not to).
            if modules.contains("muc_wait_for_host"),
               layout.option("wait_for_host_disable_auto_owners", in: muc)?.value.isTruthy != true { return nil }
            let list = muc.option("modules_enabled")
            var related = [RelatedLocation(empty.location, note: "tokenless users are let in here")]
            if let d = layout.declaration(of: muc), list != nil {
                related.append(RelatedLocation(d, note: "conference MUC \"\(muc.name)\""))
            }
            let message = "Token VirtualHost \"\(host.name)\" lets tokenless users in (allow_empty_token = true), but its "
                + "conference MUC \"\(muc.name)\" loads no module that turns token claims into affiliations "
                + "(token_affiliation, token_moderation, ...): token holders are not made moderators, and who is "
                + "moderator depends only on jicofo (first participant, or every user of \"\(host.name)\")"
            let fix = FixSuggestion(
                "Add \"token_affiliation\" to modules_enabled of Component \"\(muc.name)\" (jitsi-contrib prosody-plugins, "
                    + "or jitsi-meet's own since 2026-05), and turn jicofo authentication and auto-owner off.")
            return factory.make(message, at: list?.location ?? layout.declaration(of: muc), related: related, fix: fix,
                                confidence: .likely)
        }
    }

    // MARK: JWT504

    static func appCredentialsMissing(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let layout = layout(context), let configuration = context.configuration else { return [] }
        return layout.tokenReaders.compactMap { host, reason in
            let hasID = layout.option("app_id", in: host) != nil
            let hasKey = layout.option("app_secret", in: host) != nil || hasKeySource(layout, host)
            guard !hasID || !hasKey else { return nil }
            var missing: [String] = []
            if !hasID { missing.append("app_id") }
            if !hasKey { missing.append("app_secret (or asap_key_server)") }
            var related: [RelatedLocation] = []
            if let d = layout.declaration(of: host) { related.append(RelatedLocation(d, note: "VirtualHost \"\(host.name)\"")) }
            // Point at the same option set somewhere it is not read.
            var misplaced: [String] = []
            for section in configuration.sections where section.name != host.name {
                for name in ["app_id", "app_secret", "asap_key_server"] where missing.contains(where: { $0.hasPrefix(name) }) {
                    if let o = section.option(name) {
                        related.append(RelatedLocation(o.location, note: "\(name) set in \(layout.kindDescription(of: section)), where it is not read for \"\(host.name)\""))
                        misplaced.append("\(name) in \"\(section.name)\"")
                    }
                }
            }
            let effect: String
            switch reason {
            case .authentication:
                effect = "mod_auth_token fails to start and the host offers no SASL mechanism, so nobody can log in"
            case .verifierParent(let muc):
                effect = "token_verification on \"\(muc.name)\" stays inactive, so any room can be joined without a matching token"
            }
            var message = "VirtualHost \"\(host.name)\" (\(describe(reason))) has no \(missing.joined(separator: " and ")): \(effect)"
            if !misplaced.isEmpty { message += " (found \(misplaced.joined(separator: ", ")) instead)" }
            let fix = FixSuggestion("Set \(missing.joined(separator: " and ")) in VirtualHost \"\(host.name)\" (or in the global section).")
            return factory.make(message, at: readerLocation(layout, host, reason), related: related, fix: fix)
        }
    }

    // MARK: JWT505

    static func tokenVerificationMissing(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let layout = layout(context) else { return [] }
        let owners = layout.hostsWithConferenceMUC
        return layout.tokenHosts.compactMap { host in
            guard owners.contains(host.name) || host.name == layout.mainHost?.name,
                  let muc = layout.conferenceMUC(of: host),
                  !layout.modules(of: muc).contains("token_verification") else { return nil }
            let list = muc.option("modules_enabled")
            var related: [RelatedLocation] = []
            if let a = host.option("authentication")?.location ?? layout.declaration(of: host) {
                related.append(RelatedLocation(a, note: "token authentication on \"\(host.name)\""))
            }
            let edit: TextEdit?
            if let list {
                edit = JitsiEdits.uncommentListItem("token_verification", in: list.location, context.sources)
                    ?? JitsiEdits.insertListItem("token_verification", in: list.location, context.sources)
            } else if let d = layout.declaration(of: muc) {
                edit = JitsiEdits.insertLine("modules_enabled = { \"token_verification\" }", after: d, context.sources)
            } else {
                edit = nil
            }
            let message = "VirtualHost \"\(host.name)\" uses token authentication but its conference MUC \"\(muc.name)\" "
                + "does not load token_verification: the token's room (and sub) claims are never compared with the room, "
                + "so a token for one room opens every room"
            let fix = FixSuggestion("Add \"token_verification\" to modules_enabled of Component \"\(muc.name)\".",
                                    edits: edit.map { [$0] } ?? [])
            return factory.make(message, at: list?.location ?? layout.declaration(of: muc), related: related, fix: fix)
        }
    }

    // MARK: JWT506

    /// Modules that read token options from the VirtualHost they are loaded on.
    static let hostTokenReaders: Set<String> = ["muc_size", "password_check", "system_chat_message"]

    static func tokenOptionInWrongSection(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let layout = layout(context), let configuration = context.configuration else { return [] }
        let readers = layout.tokenReaders
        let readerNames = Set(readers.map(\.host.name))
        let tokenInUse = !readers.isEmpty
            || configuration.sections.contains { layout.modules(of: $0).contains("token_verification") }
        guard tokenInUse || context.isJitsi else { return [] }
        var findings: [Finding] = []
        for section in configuration.sections {
            let names = JitsiLayout.tokenOptionNames.filter { section.option($0) != nil }
            guard let first = names.first, let firstOption = section.option(first) else { continue }
            let list = names.joined(separator: ", ")
            let verb = names.count == 1 ? "is" : "are"
            var related: [RelatedLocation] = []
            if let d = layout.declaration(of: section) {
                related.append(RelatedLocation(d, note: "options below this line belong to \"\(section.name)\""))
            }
            for name in names.dropFirst() {
                if let o = section.option(name) { related.append(RelatedLocation(o.location, note: "\(name) set here")) }
            }
            if section.componentModule != nil {
                let parent = JitsiDeployment.parentHost(of: section.name).flatMap(layout.virtualHost)
                let target = parent.map { "VirtualHost \"\($0.name)\"" } ?? "the token VirtualHost"
                if let parent, let d = layout.declaration(of: parent) {
                    related.append(RelatedLocation(d, note: "token_verification reads its options here"))
                }
                let message = "\(list) \(verb) set in \(layout.kindDescription(of: section)), where no token module reads "
                    + "\(names.count == 1 ? "it" : "them"): mod_auth_token reads the token VirtualHost and token_verification "
                    + "the MUC's parent host, so \(names.count == 1 ? "the value has" : "the values have") no effect (an option "
                    + "below a Component line belongs to that component)"
                findings.append(factory.make(message, at: firstOption.location, related: related,
                                             fix: FixSuggestion("Move \(list) into \(target) (or the global section, before the first VirtualHost).")))
            } else if section.isVirtualHost, !readerNames.contains(section.name), layout.authenticationIsKnown(section),
                      layout.modules(of: section).isDisjoint(with: hostTokenReaders) {
                let auth = layout.authentication(of: section)
                if readers.isEmpty {
                    findings.append(factory.make(
                        "\(list) \(verb) set in VirtualHost \"\(section.name)\", but no host uses token authentication or "
                            + "token_verification, so \(names.count == 1 ? "it has" : "they have") no effect (a leftover?)",
                        at: firstOption.location, related: related,
                        fix: FixSuggestion("Delete \(list) from \"\(section.name)\", or enable token authentication where it was meant."),
                        confidence: .likely, severity: .info))
                } else {
                    let target = readers.first.map { "VirtualHost \"\($0.host.name)\"" } ?? "the token VirtualHost"
                    findings.append(factory.make(
                        "\(list) \(verb) set in VirtualHost \"\(section.name)\", which uses authentication = \"\(auth)\" and is "
                            + "not the parent host of a MUC with token_verification, so no token module reads "
                            + "\(names.count == 1 ? "it" : "them") here",
                        at: firstOption.location, related: related,
                        fix: FixSuggestion("Move \(list) into \(target), or delete \(names.count == 1 ? "it" : "them")."),
                        confidence: .likely))
                }
            }
        }
        // Global values are the fallback of every reader; they are dead only when every reader overrides them.
        if !readers.isEmpty {
            for name in JitsiLayout.tokenOptionNames {
                guard let option = configuration.global.option(name),
                      readers.allSatisfy({ $0.host.option(name) != nil }) else { continue }
                let hosts = readers.map { "\"\($0.host.name)\"" }.joined(separator: ", ")
                let related = readers.compactMap { r in r.host.option(name).map { RelatedLocation($0.location, note: "overridden in \"\(r.host.name)\"") } }
                findings.append(factory.make(
                    "Global \(name) is never used: every host the token modules read (\(hosts)) sets its own \(name)",
                    at: option.location, related: related,
                    fix: FixSuggestion("Delete the global \(name), or remove the per-host values if the global one is meant."),
                    severity: .info))
            }
        }
        return findings
    }

    // MARK: JWT507 / JWT511 / JWT513

    static func emptyAppSecret(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let layout = layout(context) else { return [] }
        return layout.tokenReaders.compactMap { host, reason in
            guard let secret = layout.option("app_secret", in: host), secret.value.stringValue == "",
                  !hasKeySource(layout, host) else { return nil }
            var related: [RelatedLocation] = []
            if let d = layout.declaration(of: host) { related.append(RelatedLocation(d, note: "VirtualHost \"\(host.name)\"")) }
            let message = "app_secret is an empty string for VirtualHost \"\(host.name)\" (\(describe(reason))): the token "
                + "library accepts it as a key, so anyone can sign a valid token with an empty HMAC key"
            let fix = FixSuggestion("Set a long random app_secret on \"\(host.name)\", or stop using token authentication "
                                    + "there (guest hosts should use jitsi-anonymous).")
            return factory.make(message, at: secret.location, related: related, fix: fix)
        }
    }

    static let minimumSecretLength = 16

    static func weakAppSecret(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let layout = layout(context) else { return [] }
        var seen = Set<SourceLocation>()
        return layout.tokenReaders.compactMap { host, reason in
            guard let secret = layout.option("app_secret", in: host), let value = secret.value.stringValue,
                  !value.isEmpty, !SecurityRules.isPlaceholder(value), value.utf8.count < minimumSecretLength, !hasKeySource(layout, host),
                  seen.insert(secret.location).inserted else { return nil }
            let message = "app_secret for VirtualHost \"\(host.name)\" (\(describe(reason))) is only \(value.utf8.count) "
                + "bytes long: anyone holding one token can guess the HMAC key offline and sign tokens for any room"
            return factory.make(message, at: secret.location,
                                fix: FixSuggestion("Use a random app_secret of at least 32 characters (e.g. `openssl rand -hex 32`) and reissue the tokens."))
        }
    }

    static let algorithms: Set<String> = ["HS256", "HS384", "HS512", "RS256", "RS384", "RS512"]

    static func signatureAlgorithmMismatch(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let layout = layout(context) else { return [] }
        var seen = Set<SourceLocation>()
        return layout.tokenReaders.compactMap { host, reason in
            guard let option = layout.option("signature_algorithm", in: host), let alg = option.value.stringValue,
                  seen.insert(option.location).inserted else { return nil }
            let hasSecret = layout.option("app_secret", in: host) != nil
            let hasKeys = hasKeySource(layout, host)
            let problem: String
            if !algorithms.contains(alg) {
                problem = "\"\(alg)\" is not an algorithm the token library supports (HS256/384/512, RS256/384/512)"
            } else if alg.hasPrefix("HS"), !hasSecret, hasKeys {
                problem = "\(alg) needs app_secret, but the host only has a key server (asap_key_server / cache_keys_url)"
            } else if alg.hasPrefix("RS"), !hasKeys, hasSecret,
                      layout.string("app_secret", in: host)?.contains("-----BEGIN") != true {
                // With RS* and no key server the library uses app_secret as the PEM public key.
                problem = "\(alg) needs an RSA public key (asap_key_server, cache_keys_url, or a PEM key as app_secret), "
                    + "but app_secret holds a shared secret"
            } else {
                return nil
            }
            let message = "signature_algorithm for VirtualHost \"\(host.name)\" (\(describe(reason))): \(problem); "
                + "every token is rejected with \"Invalid or incorrect alg\""
            return factory.make(message, at: option.location,
                                fix: FixSuggestion("Set signature_algorithm to the algorithm your tokens are signed with and "
                                                   + "configure the matching key (app_secret for HS*, asap_key_server for RS*)."))
        }
    }

    // MARK: JWT508

    static func guestDomainInAllowlist(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let layout = layout(context), let configuration = context.configuration else { return [] }
        var findings: [Finding] = []
        let anonymousHosts = Set(layout.guestHosts.map(\.name)).union(
            configuration.virtualHosts.filter { ["anonymous", "jitsi-anonymous"].contains(layout.authentication(of: $0)) }
                .map(\.name))
        for muc in layout.mucComponents where layout.modules(of: muc).contains("token_verification") {
            guard let option = layout.option("token_verification_allowlist", in: muc),
                  let entries = option.value.stringList else { continue }
            let parent = JitsiDeployment.parentHost(of: muc.name)
            var guestNames = anonymousHosts
            if let parent { guestNames.remove(parent) }
            for entry in entries where !entry.contains("@") {
                let message: String
                var related: [RelatedLocation] = []
                if entry == parent {
                    message = "token_verification_allowlist of \"\(muc.name)\" lists the main domain \"\(entry)\": every user "
                        + "of that domain skips room verification, which turns token_verification off"
                } else if guestNames.contains(entry) {
                    message = "token_verification_allowlist of \"\(muc.name)\" lists the guest domain \"\(entry)\": every "
                        + "tokenless guest skips room verification and can create and join any room"
                    if let host = layout.virtualHost(entry), let d = layout.declaration(of: host) {
                        related.append(RelatedLocation(d, note: "guest VirtualHost \"\(entry)\""))
                    }
                } else {
                    continue
                }
                let edit = muc.option("token_verification_allowlist") != nil
                    ? JitsiEdits.removeListItem(entry, in: option.location, context.sources) : nil
                findings.append(factory.make(message, at: option.location, related: related,
                                             fix: FixSuggestion("Remove \"\(entry)\" from token_verification_allowlist; keep only service "
                                                                + "domains or JIDs (jibri, jigasi) there, and gate guests with "
                                                                + "muc_wait_for_host or jicofo authentication.",
                                                                edits: edit.map { [$0] } ?? [])))
            }
        }
        return findings
    }

    // MARK: JWT509 / JWT510

    static func verificationOnCompanionMUC(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let layout = layout(context) else { return [] }
        return layout.mucComponents.compactMap { muc in
            guard let kind = layout.companionKind(muc), layout.modules(of: muc).contains("token_verification") else { return nil }
            let source = layout.moduleSource("token_verification", of: muc)
            let edit = source.flatMap { s in muc.option("modules_enabled") != nil
                ? JitsiEdits.removeListItem("token_verification", in: s.location, context.sources) : nil }
            let effect = kind == "breakout"
                ? "breakout room names never match the token's room claim, so token holders cannot enter breakout rooms"
                : "lobby rooms live on another domain than the conference, so verification fails for token holders entering the lobby"
            var related: [RelatedLocation] = []
            if let main = layout.mainMUC, let d = layout.declaration(of: main) {
                related.append(RelatedLocation(d, note: "token_verification belongs on the conference MUC \"\(main.name)\""))
            }
            return factory.make("token_verification is loaded on the \(kind) MUC \"\(muc.name)\": \(effect)",
                                at: source?.location ?? layout.declaration(of: muc), related: related,
                                fix: FixSuggestion("Remove \"token_verification\" from modules_enabled of \"\(muc.name)\"; load it only on the conference MUC.",
                                                   edits: edit.map { [$0] } ?? []))
        }
    }

    static func verificationWithoutParentHost(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let layout = layout(context), let configuration = context.configuration else { return [] }
        var findings: [Finding] = []
        for host in configuration.virtualHosts where layout.modules(of: host).contains("token_verification") {
            let source = layout.moduleSource("token_verification", of: host)
            let viaGlobal = host.option("modules_enabled")?.value.stringList?.contains("token_verification") != true
            let edit = source.flatMap { JitsiEdits.removeListItem("token_verification", in: $0.location, context.sources) }
            let where_ = viaGlobal ? "through the global modules_enabled" : "in its modules_enabled"
            findings.append(factory.make(
                "token_verification is loaded on VirtualHost \"\(host.name)\" \(where_): it is a MUC module and must be "
                    + "loaded on the conference Component; on a VirtualHost it verifies nothing (or fails to find a parent host)",
                at: source?.location ?? layout.declaration(of: host),
                fix: FixSuggestion("Remove \"token_verification\" here and add it to the conference MUC's modules_enabled.",
                                   edits: edit.map { [$0] } ?? [])))
        }
        for component in configuration.components where component.componentModule != "muc"
            && layout.modules(of: component).contains("token_verification") {
            findings.append(factory.make(
                "token_verification is loaded on \(layout.kindDescription(of: component)), which is not a MUC: it only works "
                    + "on the conference MUC component",
                at: layout.moduleSource("token_verification", of: component)?.location ?? layout.declaration(of: component),
                fix: FixSuggestion("Load token_verification on the conference MUC instead.")))
        }
        for muc in layout.mucComponents where layout.modules(of: muc).contains("token_verification") {
            let parent = JitsiDeployment.parentHost(of: muc.name)
            if let parent, layout.virtualHost(parent) != nil { continue }
            let location = layout.moduleSource("token_verification", of: muc)?.location ?? layout.declaration(of: muc)
            let label = muc.name.split(separator: ".", maxSplits: 1).first.map(String.init) ?? muc.name
            var message: String
            if let parent {
                message = "token_verification on \"\(muc.name)\" reads its options from the parent host \"\(parent)\" "
                    + "(the name without its first label), but there is no VirtualHost \"\(parent)\""
                if !JitsiDeployment.firstLabelIsAlphanumeric(muc.name) {
                    message += "; the first label \"\(label)\" is not purely alphanumeric, so the split happens inside it"
                }
            } else {
                message = "token_verification on \"\(muc.name)\" cannot derive a parent host from the component name "
                    + "(it must be <label>.<main domain>)"
            }
            message += ": the verifier fails to start and rooms are not checked"
            findings.append(factory.make(message, at: location,
                                         fix: FixSuggestion("Name the conference MUC conference.<main domain> (or muc.<main domain>) with "
                                                            + "an alphanumeric first label, one level below the token VirtualHost.")))
        }
        return findings
    }

    // MARK: JWT512

    static func tokenModerationTrustsRawTokens(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let layout = layout(context), let configuration = context.configuration else { return [] }
        let hookLoaded = !layout.tokenHosts.isEmpty
            || ([configuration.global] + configuration.sections).contains { layout.modules(of: $0).contains("jitsi_session") }
        guard hookLoaded else { return [] }
        var findings: [Finding] = []
        for muc in layout.mucComponents where layout.modules(of: muc).contains("token_moderation") {
            let parent = JitsiDeployment.parentHost(of: muc.name)
            let guests = configuration.virtualHosts.filter {
                $0.name != parent && ["anonymous", "jitsi-anonymous"].contains(layout.authentication(of: $0))
            }
            guard let guest = guests.first(where: { layout.authentication(of: $0) == "anonymous" }) ?? guests.first else { continue }
            let auth = layout.authentication(of: guest)
            var related: [RelatedLocation] = []
            if let a = layout.option("authentication", in: guest) {
                related.append(RelatedLocation(a.location, note: "guest VirtualHost \"\(guest.name)\" with authentication = \"\(auth)\""))
            }
            let message = "token_moderation on \"\(muc.name)\" decodes session tokens itself without checking the signature, "
                + "and guests on \"\(guest.name)\" (authentication = \"\(auth)\") still get the URL's token copied into their "
                + "session: a guest can claim moderator with a self-made token"
            findings.append(factory.make(message,
                                         at: layout.moduleSource("token_moderation", of: muc)?.location ?? layout.declaration(of: muc),
                                         related: related,
                                         fix: FixSuggestion("Replace token_moderation with token_affiliation, which uses the claims "
                                                            + "verified at login; keep guests on jitsi-anonymous (2026-02 or later clears their tokens)."),
                                         confidence: auth == "anonymous" ? .likely : .possible))
        }
        return findings
    }

    // MARK: JWT514

    static func keyServerIsJWKS(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let layout = layout(context) else { return [] }
        var seen = Set<SourceLocation>()
        return layout.tokenReaders.compactMap { host, reason in
            guard let option = layout.option("asap_key_server", in: host), let url = option.value.stringValue,
                  seen.insert(option.location).inserted else { return nil }
            let lower = url.lowercased()
            let path = lower.split(separator: "?").first.map(String.init) ?? lower
            guard lower.contains("jwks") || path.hasSuffix(".json") || lower.contains("/.well-known/")
                    || path.hasSuffix(".pem") else { return nil }
            let problem = path.hasSuffix(".pem")
                ? "it names a single .pem file, but the library appends /<sha256(kid)>.pem to it"
                : "it looks like a JWKS / JSON key document, but the library fetches <url>/<sha256(kid)>.pem PEM files from it"
            var edits: [TextEdit] = []
            if !path.hasSuffix(".pem"), host.option("asap_key_server") != nil, host.option("cache_keys_url") == nil,
               let bytes = context.sources.texts[option.location.file],
               option.location.range.end.offset <= bytes.count,
               String(decoding: bytes[option.location.range.start.offset..<option.location.range.end.offset], as: UTF8.self)
                   == "asap_key_server" {
                edits.append(TextEdit(location: option.location, replacement: "cache_keys_url"))
            }
            return factory.make(
                "asap_key_server \"\(url)\" for VirtualHost \"\(host.name)\" (\(describe(reason))): \(problem), so every "
                    + "RS token fails with \"could not obtain public key\"",
                at: option.location,
                fix: FixSuggestion(path.hasSuffix(".pem")
                    ? "Set asap_key_server to the directory URL that serves <sha256(kid)>.pem files."
                    : "Use cache_keys_url for a JSON key map (2023-07+) or a JWKS document (2025-11+), or serve PEM files named by sha256(kid).",
                    edits: edits),
                confidence: .likely)
        }
    }

    // MARK: JWT515

    static func waitForHostTrustsGuestTokens(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let layout = layout(context), let configuration = context.configuration, !layout.tokenHosts.isEmpty else { return [] }
        var findings: [Finding] = []
        for muc in layout.mucComponents where layout.modules(of: muc).contains("muc_wait_for_host") {
            let parent = JitsiDeployment.parentHost(of: muc.name)
            for guest in configuration.virtualHosts where guest.name != parent && layout.authentication(of: guest) == "anonymous" {
                let auth = layout.option("authentication", in: guest)
                var related: [RelatedLocation] = []
                if let s = layout.moduleSource("muc_wait_for_host", of: muc) {
                    related.append(RelatedLocation(s.location, note: "muc_wait_for_host on \"\(muc.name)\""))
                }
                let edit = guest.option("authentication").flatMap {
                    JitsiEdits.replaceLiteral("anonymous", with: "jitsi-anonymous", in: $0.location, context.sources)
                }
                findings.append(factory.make(
                    "Guest VirtualHost \"\(guest.name)\" uses Prosody's authentication = \"anonymous\", which keeps the "
                        + "unverified token a client puts in the BOSH/WebSocket URL, and muc_wait_for_host on \"\(muc.name)\" "
                        + "treats any session carrying a token as the host: a guest with a made-up token opens the room and "
                        + "becomes owner",
                    at: auth?.location ?? layout.declaration(of: guest), related: related,
                    fix: FixSuggestion("Use authentication = \"jitsi-anonymous\" on \"\(guest.name)\" with jitsi-meet 2026-02 or "
                                       + "later (it clears URL tokens of guest sessions).", edits: edit.map { [$0] } ?? []),
                    confidence: .likely))
            }
        }
        return findings
    }

    // MARK: JWT516

    static func verificationWithoutTokenLogin(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let layout = layout(context) else { return [] }
        return layout.mucComponents.compactMap { muc in
            guard layout.companionKind(muc) == nil, layout.modules(of: muc).contains("token_verification"),
                  let parentName = JitsiDeployment.parentHost(of: muc.name), let parent = layout.virtualHost(parentName) else {
                return nil
            }
            let auth = layout.authentication(of: parent)
            guard auth != "token", layout.authenticationIsKnown(parent) else { return nil }
            var related: [RelatedLocation] = []
            if let a = layout.option("authentication", in: parent)?.location ?? layout.declaration(of: parent) {
                related.append(RelatedLocation(a, note: "\"\(parent.name)\" uses authentication = \"\(auth)\""))
            }
            let secure = auth.hasPrefix("internal") || auth == "cyrus" || auth == "ldap"
            let effect = secure
                ? "users log in with passwords there, so no session carries a verified token and room verification refuses "
                    + "or ignores them (secure domain and tokens do not mix)"
                : "sessions there never have a token verified at login, so room verification refuses them, or does "
                    + "nothing when the host has no app_id"
            return factory.make(
                "token_verification is loaded on \"\(muc.name)\", but its parent host \"\(parent.name)\" uses "
                    + "authentication = \"\(auth)\", not \"token\": \(effect)",
                at: layout.moduleSource("token_verification", of: muc)?.location ?? layout.declaration(of: muc),
                related: related,
                fix: FixSuggestion("Either set authentication = \"token\" (with app_id and app_secret) on \"\(parent.name)\", or "
                                   + "remove token_verification from \"\(muc.name)\"."),
                confidence: .likely)
        }
    }

    // MARK: JWT517

    /// Options the MUC-side Jitsi modules read from the conference component (then global).
    static let mucTokenOptions = ["token_verification_allowlist", "token_verification_require_token_for_moderation",
                                  "wait_for_host_disable_auto_owners"]

    static func mucTokenOptionOnHost(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let layout = layout(context), let configuration = context.configuration else { return [] }
        var findings: [Finding] = []
        for host in configuration.virtualHosts {
            for name in mucTokenOptions {
                guard let option = host.option(name) else { continue }
                let muc = layout.conferenceMUC(of: host) ?? layout.mainMUC
                var related: [RelatedLocation] = []
                if let muc, let d = layout.declaration(of: muc) {
                    related.append(RelatedLocation(d, note: "the conference MUC, where the module reads it"))
                }
                findings.append(factory.make(
                    "\(name) is set in VirtualHost \"\(host.name)\", but the module using it runs on the conference MUC"
                        + "\(muc.map { " \"\($0.name)\"" } ?? "") and reads it from there (or the global section), so it has no effect",
                    at: option.location, related: related,
                    fix: FixSuggestion("Move \(name) into Component \"\(muc?.name ?? "conference.<domain>")\".")))
            }
        }
        return findings
    }
}
