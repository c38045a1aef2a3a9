import ProsodyConfig
import ProsodyLog

/// JLG8xx: Jitsi token authentication as seen in Prosody's log (facts from rules/log-signatures.yml).
enum JitsiLogRules {
    static let all: [RuleImplementation] = [
        RuleImplementation("JLG801", check: tokenNeverReachedProsody),
        RuleImplementation("JLG802", check: emptyTokenGuestAdmitted),
        RuleImplementation("JLG803", check: affiliationSkipped),
        RuleImplementation("JLG804", check: tokenRejected),
        RuleImplementation("JLG805", check: tokenLibraryDisabled),
        RuleImplementation("JLG806", check: focusCheckedAsParticipant),
        RuleImplementation("JLG807", check: noSASLMechanism),
        RuleImplementation("JLG808", check: mucDomainBaseMissing),
        RuleImplementation("JLG809", check: keyServerFailed),
    ]

    /// The `allow_empty_token = true` lines of the token hosts (all such lines when no host uses tokens).
    static func allowEmptyTokenLines(_ context: AnalysisContext) -> [RelatedLocation] {
        guard let configuration = context.configuration else { return [] }
        let hosts = Set(ConfigLookup.tokenHosts(configuration).map(\.name))
        var lines = ConfigLookup.trueAssignments(configuration, "allow_empty_token", sections: hosts.isEmpty ? nil : hosts.union(["*"]))
        if lines.isEmpty { lines = ConfigLookup.trueAssignments(configuration, "allow_empty_token") }
        return lines.prefix(3).map {
            RelatedLocation($0.location, note: "allow_empty_token = true here lets sessions without a token in (\($0.section == "*" ? "global" : $0.section))")
        }
    }

    static func tokenNeverReachedProsody(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let logs = context.logs else { return [] }
        let nil_ = logs.groups("participant-token-nil")
        guard !nil_.isEmpty else { return [] }
        let rejected = logs.groups("token-verification-failed")
        // Rejection lines name no user, so they cannot be tied to the participant: any rejection other
        // than "token required" shows tokens do reach Prosody (the participant may simply be a guest).
        if rejected.contains(where: { !$0.key.lowercased().contains("token required") }) { return [] }
        var confidence: Confidence = logs.has("empty-token-join") || !logs.trunkVersions.isEmpty ? .certain : .likely
        let users = nil_.map(\.key)
        // Research F1 (5d): a session that authenticated on the guest domain never carries a token.
        let logins = Set(logs.groups("authenticated").map(\.key))
        let onGuest = users.filter { logins.contains($0) && ($0.split(separator: "@").last.map { $0.hasPrefix("guest.") } ?? false) }
        let onMain = users.filter { logins.contains($0) && !onGuest.contains($0) }
        if !onGuest.isEmpty && onMain.isEmpty { confidence = .possible }
        var causes: [String] = []
        if let trunk = logs.trunkVersions.first {
            causes.append("the log shows Prosody \(trunk): with the jitsi-meet-tokens package of 2020-04…2022-07 its mod_auth_token hook is host-level and never fires there (F1)")
        }
        causes.append("a host-level bosh-session hook on 0.11 (F2), WebSocket on Prosody < 0.11.6 (F4), or a lost query string: page URL without ?jwt=, proxy dropping $args (F5)")
        let message = "\(users.count == 1 ? "Participant" : "\(users.count) participants") (\(LogRuleSupport.list(users))) joined with `Session token: nil` "
            + "\(LogRuleSupport.span(nil_)) and "
            + (rejected.isEmpty ? "no `Error verifying token` appears" : "the only rejections are \(LogRuleSupport.list(rejected.map(\.key)))")
            + ": the token never reached Prosody. Likely causes, in order: " + causes.joined(separator: "; ") + "."
            + (onMain.isEmpty ? "" : " \(LogRuleSupport.list(onMain)) authenticated on \(onMain[0].split(separator: "@").last ?? "") without a token, so allow_empty_token admitted the session.")
            + (onGuest.isEmpty ? "" : " \(LogRuleSupport.list(onGuest)) logged in on a guest domain, which never carries a token: rule that out first.")
        return [LogRuleSupport.finding(factory, nil_, message, related: allowEmptyTokenLines(context), confidence: confidence)].compactMap { $0 }
    }

    static func emptyTokenGuestAdmitted(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let logs = context.logs else { return [] }
        let joins = logs.groups("empty-token-join")
        if joins.isEmpty {
            // Without debug lines only the start-up warning shows the setting.
            let startup = logs.groups("allow-empty-token")
            guard !startup.isEmpty else { return [] }
            let hosts = startup.map(\.key).filter { !$0.isEmpty }
            let message = "allow_empty_token is true\(hosts.isEmpty ? "" : " on \(LogRuleSupport.list(hosts))") (start-up warning \(LogRuleSupport.span(startup))): "
                + "sessions without a token are let in as guests. The log has no debug lines showing how many were."
            return [LogRuleSupport.finding(factory, startup, message, related: allowEmptyTokenLines(context), confidence: .possible, severity: .info)].compactMap { $0 }
        }
        let total = joins.reduce(0) { $0 + $1.count }
        let focus = logs.count("focus-token-nil")
        var message = "\(total) room join\(total == 1 ? "" : "s") without a token skipped token verification because allow_empty_token is true (\(LogRuleSupport.span(joins)))"
        if focus > 0 { message += "; \(min(focus, total)) of them may be Jicofo's focus user (JLG806)" }
        let participants = logs.groups("participant-token-nil").map(\.key)
        if !participants.isEmpty { message += "; tokenless participants: \(LogRuleSupport.list(participants))" }
        return [LogRuleSupport.finding(factory, joins, message + ".", related: allowEmptyTokenLines(context))].compactMap { $0 }
    }

    static func affiliationSkipped(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let logs = context.logs else { return [] }
        let skipped = logs.groups("affiliation-no-token")
        guard !skipped.isEmpty else { return [] }
        let total = skipped.reduce(0) { $0 + $1.count }
        var message = "token_affiliation skipped \(total) occupant\(total == 1 ? "" : "s") because the session had no token (\(LogRuleSupport.span(skipped))): no owner/moderator affiliation was set from a token"
        if logs.has("participant-token-nil") { message += "; the same log shows participants without a token (JLG801), so token holders were not made moderators" }
        var related: [RelatedLocation] = []
        if let configuration = context.configuration {
            related = ConfigLookup.mucModulesEnabled(configuration).prefix(1).map {
                RelatedLocation($0.location, note: "token_affiliation runs on this MUC (\($0.section)); it only acts on sessions that carry a token")
            }
        }
        return [LogRuleSupport.finding(factory, skipped, message + ".", related: related)].compactMap { $0 }
    }

    static func tokenRejected(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let logs = context.logs else { return [] }
        var out: [Finding] = []
        for g in logs.groups("token-verification-failed") + logs.groups("token-join-denied") {
            let reason = g.key.isEmpty ? (g.fact == "token-join-denied" ? "Room and token mismatched" : "(no reason)") : g.key
            let what = g.fact == "token-join-denied" ? "A token was refused at room join" : "Tokens were rejected at login"
            var message = "\(what) \(LogRuleSupport.span(count: g.count, first: g.firstTime, last: g.lastTime)): reason `\(reason)`"
            if let err = g.captures["err"]?.trimmingCharacters(in: .whitespaces), !err.isEmpty, err != reason { message += " (err \(err))" }
            if let room = g.captures["room"], !room.isEmpty { message += ", room \(room)" }
            let decoded = TokenReasons.explain(reason)
            message += ". " + decoded.meaning
            var related: [RelatedLocation] = []
            if let configuration = context.configuration {
                let options = TokenReasons.options(for: reason)
                let hosts = Set(ConfigLookup.tokenHosts(configuration).map(\.name)).union(["*"])
                related = configuration.assignments.filter { options.contains($0.name) && hosts.contains($0.section) }.prefix(3).map {
                    RelatedLocation($0.location, note: "\($0.name) is set here (\($0.section == "*" ? "global" : $0.section))")
                }
            }
            if let f = LogRuleSupport.finding(factory, [g], message, related: related, fix: FixSuggestion(decoded.fix)) { out.append(f) }
        }
        return out
    }

    static func tokenLibraryDisabled(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let logs = context.logs else { return [] }
        var out: [Finding] = []
        for g in logs.groups("token-app-id-empty") + logs.groups("token-secret-missing") + logs.groups("token-config-missing")
            + logs.groups("token-verifier-inactive") {
            let host = g.key.isEmpty ? "a host" : g.key
            let module = g.examples.first?.source.flatMap { LogSource($0).module } ?? "a token module"
            let what = ["token-app-id-empty": "no app_id", "token-secret-missing": "neither app_secret nor asap_key_server",
                        "token-config-missing": "no token configuration",
                        "token-verifier-inactive": "token_verification found no parent host\(g.captures["host"].map { " " + $0 } ?? "")"][g.fact] ?? g.fact
            let message = "The token library is disabled on \(host) (\(what)), logged by \(module) \(LogRuleSupport.span(count: g.count, first: g.firstTime, last: g.lastTime)): "
                + (module == "auth_token" ? "logins on this host have no SASL mechanism." : "no token is checked there; any room can be joined.")
            var related: [RelatedLocation] = []
            if let configuration = context.configuration, let decl = ConfigLookup.declaration(configuration, host) {
                related.append(RelatedLocation(decl, note: "\(host) has no usable app_id/app_secret of its own"))
            }
            if let f = LogRuleSupport.finding(factory, [g], message, related: related) { out.append(f) }
        }
        return out
    }

    static func focusCheckedAsParticipant(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let logs = context.logs else { return [] }
        let groups = logs.groups("focus-token-verified")
        guard !groups.isEmpty else { return [] }
        let nilCount = logs.count("focus-token-nil")
        let message = "Jicofo's focus user (\(LogRuleSupport.list(groups.map(\.key)))) went through room token verification \(LogRuleSupport.span(groups))"
            + (nilCount > 0 ? "; its \(nilCount) `Session token: nil` line\(nilCount == 1 ? " is" : "s are") expected and say nothing about participants' tokens." : ".")
        return [LogRuleSupport.finding(factory, groups, message)].compactMap { $0 }
    }

    static func noSASLMechanism(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let logs = context.logs else { return [] }
        let insecure = logs.groups("sasl-insecure-connection")
        var out: [Finding] = []
        if !insecure.isEmpty {
            let message = "Logins were refused because every SASL mechanism is forbidden on an insecure connection \(LogRuleSupport.span(insecure)): "
                + "BOSH/WebSocket behind an HTTPS proxy needs `consider_bosh_secure = true` / `consider_websocket_secure = true`."
            if let f = LogRuleSupport.finding(factory, insecure, message) { out.append(f) }
        }
        let groups = logs.groups("no-sasl-mechanisms")
        guard !groups.isEmpty else { return out }
        let module = groups.compactMap { $0.captures["module"] }.first
        var message = "Logins found no SASL mechanism \(LogRuleSupport.span(groups))"
        if let module { message += " (authentication module '\(module)')" }
        let causes = logs.groups("token-app-id-empty") + logs.groups("token-secret-missing") + logs.groups("module-init-failed") + logs.groups("lua-library-missing")
        if !causes.isEmpty { message += "; start-up errors explain it: \(LogRuleSupport.list(causes.map { $0.fact + ($0.key.isEmpty ? "" : " " + $0.key) }, limit: 3))" }
        return out + [LogRuleSupport.finding(factory, groups, message + ".")].compactMap { $0 }
    }

    static func mucDomainBaseMissing(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let logs = context.logs else { return [] }
        let groups = logs.groups("muc-domain-base-missing")
        guard !groups.isEmpty else { return [] }
        let consequence = groups.first?.captures["consequence"] ?? ""
        let message = "muc_mapper_domain_base is not set \(LogRuleSupport.span(groups))" + (consequence.isEmpty ? "." : ": \(consequence).")
        return [LogRuleSupport.finding(factory, groups, message)].compactMap { $0 }
    }
}

extension JitsiLogRules {
    static func keyServerFailed(_ context: AnalysisContext, _ factory: FindingFactory) -> [Finding] {
        guard let logs = context.logs else { return [] }
        let groups = logs.groups("key-server-failed")
        guard !groups.isEmpty else { return [] }
        let urls = groups.compactMap { $0.captures["url"] ?? $0.captures["from_url"] }
        var message = "The public key for token verification could not be fetched \(LogRuleSupport.span(groups))"
        if !urls.isEmpty { message += " (\(LogRuleSupport.list(Array(Set(urls)).sorted(), limit: 3)))" }
        message += "; logins with RS* tokens fail with `could not obtain public key`."
        var related: [RelatedLocation] = []
        if let configuration = context.configuration {
            related = configuration.assignments.filter { $0.name == "asap_key_server" || $0.name == "cache_keys_url" }.prefix(2)
                .map { RelatedLocation($0.location, note: "the key server is configured here") }
        }
        return [LogRuleSupport.finding(factory, groups, message, related: related)].compactMap { $0 }
    }
}

/// The reasons of research §1c/§1d, decoded.
enum TokenReasons {
    static let table: [(match: String, meaning: String, fix: String)] = [
        ("token required", "No token reached Prosody for this login and allow_empty_token is false: the query string was lost (page URL needs ?jwt=, proxy must pass $args), or the session hook never ran (host-level hook on 0.11, WebSocket on Prosody < 0.11.6).",
         "Check the BOSH/WebSocket request carries token=…; pass $args in the proxy; run a supported Prosody and current jitsi-meet-prosody."),
        ("invalid or incorrect alg", "The token's `alg` is not the algorithm the server expects (RS* token on an app_secret deployment, HS384/512 without signature_algorithm).",
         "Sign with the expected algorithm or set signature_algorithm on the token host."),
        ("invalid alg", "The token header's `alg` is missing or not a string (luajwtjitsi 2.0 and older).", "Set alg (HS256 or RS256) in the token header."),
        ("'alg' claim must not be empty", "The token has an empty or `none` alg.", "Sign the token (HS256 with app_secret, or RS256)."),
        ("algorithm not supported", "The token's `alg` is not one of HS256/384/512, RS256/384/512 (e.g. ES256 or none).", "Sign the token with HS256 (app_secret) or RS256 (key server)."),
        ("invalid signature", "The signature does not match: the token is signed with another secret or key than app_secret / the key server's public key.",
         "Sign with exactly the app_secret of the token host (not base64-decoded), or publish the matching public key."),
        ("not acceptable by exp", "The token has expired (`exp` is in the past; check the clocks and the token lifetime).", "Issue a fresh token with a later exp; sync the clocks (NTP)."),
        ("not acceptable by nbf", "The token is not valid yet (`nbf` in the future): the issuer's clock is ahead of the server's.", "Sync the clocks, or set nbf a little in the past."),
        ("exp must be number", "`exp` was sent as a string; it must be a number of seconds.", "Send exp as a JSON number."),
        ("nbf must be number", "`nbf` was sent as a string; it must be a number of seconds.", "Send nbf as a JSON number."),
        ("'iss' claim is missing", "The token has no `iss` claim.", "Add iss (by default the app_id)."),
        ("invalid 'iss' claim", "`iss` is not in asap_accepted_issuers (default: the app_id).", "Set iss to the app_id, or list it in asap_accepted_issuers."),
        ("invalid issuer", "`iss` is not in asap_accepted_issuers (default: the app_id).", "Set iss to the app_id, or list it in asap_accepted_issuers."),
        ("'aud' claim is missing", "The token has no `aud` claim (required even with the default '*').", "Add aud (e.g. \"jitsi\")."),
        ("invalid 'aud' claim", "`aud` is not in asap_accepted_audiences.", "Set aud to an accepted audience or extend asap_accepted_audiences."),
        ("invalid audience", "`aud` is not in asap_accepted_audiences.", "Set aud to an accepted audience or extend asap_accepted_audiences."),
        ("'room' claim is missing", "The token has no `room` claim while asap_require_room_claim is true.", "Add room (or \"*\") to the token."),
        ("room claim is missing", "The token has no `room` claim while asap_require_room_claim is true.", "Add room (or \"*\") to the token."),
        ("sub claim is missing", "The token has no `sub` claim.", "Add sub (the tenant, or \"*\" / the domain)."),
        ("'kid' claim only support", "An HS* token was sent to a key-server deployment.", "Sign with RS256 and a kid, or configure app_secret."),
        ("'kid' claim is missing", "Key-server mode needs a `kid` in the token header.", "Add kid naming the published public key."),
        ("'alg' claim is missing", "The token header has no `alg`.", "Add alg to the header."),
        ("could not obtain public key", "The key server did not serve sha256(kid).pem as PEM.", "Check asap_key_server and the key file naming."),
        ("signature verification key is missing", "Neither app_secret nor a key server is configured.", "Set app_secret or asap_key_server on the token host."),
        ("bad token format", "The token header is not base64url JSON.", "Send a well-formed JWT."),
        ("invalid typ", "The header `typ` is missing or not exactly JWT.", "Set typ: \"JWT\" in the header."),
        ("invalid json", "A token segment is not JSON.", "Send a well-formed JWT."),
        ("invalid header", "The token header segment cannot be decoded.", "Send a well-formed JWT."),
        ("invalid body", "The token payload segment cannot be decoded.", "Send a well-formed JWT."),
        ("invalid token", "Not a JWT: truncated or garbled (not three dot-separated segments).", "Send the whole token; check URL encoding."),
        ("not a public pem key", "The key server returned something that is not a PEM public key.", "Serve the PEM public key."),
        ("context claim", "Another module requires the `context` claim.", "Add a context object to the token."),
        ("user is banned", "An external access manager banned the user.", "Check the ban service."),
        ("room does not match the room from token", "room-mismatch: the token's `room` claim is not this room (domain verification off).", "Issue the token for this room, or room \"*\"."),
        ("room name cannot be matched", "room-name-does-not-match: the room regex or claim does not match the room.", "Fix the room claim or regex."),
        ("not a valid lua pattern", "invalid-regex: context.room.regex is not a valid Lua pattern.", "Fix the pattern."),
        ("misconfiguration of server", "server-missing-config: tenant room but muc_mapper_domain_base is not set.", "Set muc_mapper_domain_base."),
        ("room does not exist", "room-does-not-exist: the room was not created yet by Jicofo, or muc_domain is computed wrongly (muc_mapper_domain_base / prefix).", "Check muc_mapper_domain_base and Jicofo."),
        ("authentication required", "authentication-required: the room requires a token and the session has none.", "Join with a token."),
        ("room address is invalid", "invalid-room-address: the join had no room name.", "Join a named room."),
        ("invalid-room-address", "The join had no room name.", "Join a named room."),
        ("room-does-not-exist", "The room was not created yet by Jicofo, or muc_domain is computed wrongly.", "Check muc_mapper_domain_base and Jicofo."),
        ("authentication-required", "The room requires a token and the session has none.", "Join with a token."),
        ("room-mismatch", "The token's `room` claim is not this room.", "Issue the token for this room, or room \"*\"."),
        ("invalid-regex", "context.room.regex is not a valid Lua pattern.", "Fix the pattern."),
        ("room-name-does-not-match", "The room regex or claim does not match the room.", "Fix the room claim or regex."),
        ("server-missing-config", "Tenant room but muc_mapper_domain_base is not set.", "Set muc_mapper_domain_base."),
        ("room and token mismatched", "The token does not allow this room (room, sub/tenant or domain claim mismatch).", "Issue the token for this room and tenant."),
    ]

    /// The token host options a reason is about (for related config locations).
    static func options(for reason: String) -> Set<String> {
        let r = reason.lowercased()
        if r.contains("signature") || r.contains("public key") || r.contains("kid") { return ["app_secret", "asap_key_server", "cache_keys_url"] }
        if r.contains("alg") { return ["signature_algorithm", "app_secret", "asap_key_server"] }
        if r.contains("iss") { return ["asap_accepted_issuers", "app_id"] }
        if r.contains("aud") { return ["asap_accepted_audiences"] }
        if r.contains("room claim") { return ["asap_require_room_claim"] }
        if r.contains("token required") { return ["allow_empty_token", "authentication"] }
        if r.contains("misconfiguration") || r.contains("room does not exist") { return ["muc_mapper_domain_base"] }
        return []
    }

    static func explain(_ reason: String) -> (meaning: String, fix: String) {
        let r = reason.lowercased()
        for entry in table where r.contains(entry.match) { return (entry.meaning, entry.fix) }
        if r.isEmpty || r == "nil" || r == "(no reason)" {
            return ("The log gave no reason; the err field says what failed.", "Check the token with `prosody-doctor token`.")
        }
        return ("Unrecognised reason; check the token's claims and the server's token options.", "Check the token with `prosody-doctor token TOKEN --config FILE`.")
    }
}
