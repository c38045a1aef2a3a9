/// Text and JSON renderings of a `TokenReport`. Secrets are masked: app_secret is never shown,
/// the signature only by its length, secret-looking claims are replaced.
public enum TokenReportRenderer {
    public static func json(_ r: TokenReport) -> TokenJSON {
        let v = r.verdict
        let s = r.settings
        func str(_ x: String?) -> TokenJSON { x.map(TokenJSON.string) ?? .null }
        var members: [(key: String, value: TokenJSON)] = [
            ("verdict", .string(v.status.rawValue)),
            ("exit_code", .number(Double(v.exitCode))),
            ("stage", str(v.stage?.rawValue)),
            ("reason", str(v.rejectionReason)),
            ("error_condition", str(v.errorCondition)),
            ("log_line", str(v.logLine)),
            ("explanation", str(v.explanation)),
            ("fix", str(v.fix)),
            ("now", .number(r.now)),
            ("host", str(s.host)),
            ("era", .string(s.era.rawValue)),
            ("room", str(r.room?.jid)),
        ]
        if let e = r.logEntry {
            members.append(("log", .object([
                ("line", .number(Double(e.line))), ("kind", .string(e.kind.rawValue)), ("source", str(e.source)),
                ("user", str(e.user)), ("room", str(e.roomJID)), ("logged_room_claim", str(e.loggedRoomClaim)),
            ])))
        }
        if let d = r.decoded {
            members.append(("token", .object([
                ("length", .number(Double(d.length))),
                ("segments", .number(Double(d.segments.count))),
                ("header", d.maskedHeader(secret: s.appSecret) ?? .null),
                ("header_error", str(d.headerError)),
                ("payload", d.maskedPayload(secret: s.appSecret) ?? .null),
                ("payload_error", str(d.payloadError)),
                ("signature", d.signatureByteCount.map { .string("\(Masking.mask) (\($0) bytes)") } ?? .null),
            ])))
        } else {
            members.append(("token", .null))
        }
        members.append(("checks", .array(v.checks.map { c in
            .object([("name", .string(c.name)), ("outcome", .string(c.outcome.rawValue)), ("detail", .string(c.detail)),
                     ("reason", str(c.reason))])
        })))
        if let g = v.grants {
            let rooms: TokenJSON
            switch g.rooms {
            case .anyRoom: rooms = .object([("kind", .string("any"))])
            case .room(let n): rooms = .object([("kind", .string("room")), ("name", .string(n))])
            case .pattern(let p): rooms = .object([("kind", .string("lua-pattern")), ("pattern", .string(p))])
            }
            members.append(("grants", .object([
                ("rooms", rooms), ("rooms_description", .string(g.roomsDescription)),
                ("sub", str(g.sub)), ("tenant", str(g.tenant)),
                ("affiliation", str(g.affiliation)), ("affiliation_decided_by", .string(g.affiliationDecidedBy)),
                ("affiliation_detail", .string(g.affiliationDetail)),
                ("lobby_bypass", .bool(g.lobbyBypass)),
                ("features", .array(g.features.map(TokenJSON.string))),
                ("notes", .array(g.notes.map(TokenJSON.string))),
            ])))
        } else {
            members.append(("grants", .null))
        }
        members.append(("settings", settingsJSON(s)))
        members.append(("notes", .array(v.notes.map(TokenJSON.string))))
        return .object(members)
    }

    static func settingsJSON(_ s: TokenSettings) -> TokenJSON {
        func str(_ x: String?) -> TokenJSON { x.map(TokenJSON.string) ?? .null }
        return .object([
            ("app_id", str(s.appID)),
            ("app_secret", s.appSecret.map { .string("\(Masking.mask) (\($0.count) bytes)") } ?? .null),
            ("asap_key_server", str(s.asapKeyServer)),
            ("cache_keys_url", str(s.cacheKeysURL)),
            ("signature_algorithm", .string(s.expectedAlgorithm)),
            ("allow_empty_token", .bool(s.allowEmptyToken)),
            ("enable_domain_verification", .bool(s.enableDomainVerification)),
            ("asap_accepted_issuers", .array(s.effectiveIssuers.map(TokenJSON.string))),
            ("asap_accepted_audiences", .array(s.acceptedAudiences.map(TokenJSON.string))),
            ("asap_require_room_claim", .bool(s.requireRoomClaim)),
            ("muc_mapper_domain_base", str(s.mucDomainBase)),
            ("muc_domain", str(s.mucDomain)),
            ("conference_muc", str(s.conferenceMUC)),
            ("conference_modules", .array(s.conferenceModules.map(TokenJSON.string))),
            ("provenance", .object(s.provenance.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
        ])
    }

    public static func text(_ r: TokenReport) -> String {
        let v = r.verdict
        let s = r.settings
        var out: [String] = []
        if let e = r.logEntry {
            out.append("Log line \(e.line) (\(e.kind.rawValue)\(e.source.map { ", \($0)" } ?? ""))\(e.user.map { " user \($0)" } ?? "")")
        }
        out.append("Host: \(s.host ?? "(none: flags and defaults)")\(s.conferenceMUC.map { ", conference MUC \($0)" } ?? "")\(s.conferenceModules.isEmpty ? "" : " [\(s.conferenceModules.joined(separator: ", "))]")")
        if let d = r.decoded {
            out.append("Token: \(d.length) bytes, \(d.segments.count) segment(s)")
            if let h = d.maskedHeader(secret: s.appSecret) { out.append("Header:\n" + indent(TokenJSON.serialize(h, pretty: true))) }
            else { out.append("Header: cannot decode (\(d.headerError ?? "?"))") }
            if let p = d.maskedPayload(secret: s.appSecret) {
                out.append("Payload (secrets masked):\n" + indent(TokenJSON.serialize(p, pretty: true)))
                for claim in ["iat", "nbf", "exp"] {
                    if let t = p[claim]?.numberValue {
                        out.append("  \(claim) = \(UTCTime.iso8601(t)) (\(relative(t - r.now)))")
                    }
                }
            } else { out.append("Payload: cannot decode (\(d.payloadError ?? "?"))") }
            out.append("Signature: " + (d.signatureByteCount.map { "\($0) bytes (masked)" } ?? "none/undecodable"))
        } else {
            out.append("Token: none (the session carried no token)")
        }
        out.append("Rules: jitsi-meet \(s.era == .current ? "2026-05+" : s.era == .legacy ? "before 2022-04" : s.era == .y2022 ? "2022-04…2024-06" : "2024-10…2026-05") (--era \(s.era.rawValue))")
        out.append("Now: \(UTCTime.iso8601(r.now))\(r.room.map { "; room: \($0.jid)" } ?? "")")
        out.append("")
        out.append("Checks, in Prosody's order:")
        let width = v.checks.map(\.name.count).max() ?? 0
        for c in v.checks {
            let mark: String
            switch c.outcome {
            case .passed: mark = "PASS"
            case .failed: mark = "FAIL"
            case .skipped: mark = "skip"
            }
            out.append("  \(mark)  \(c.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(c.detail)")
        }
        out.append("")
        switch v.status {
        case .accepted: out.append("ACCEPTED: Prosody would accept this token\(r.room != nil ? " for this room" : "").")
        case .acceptedWithoutToken: out.append("ACCEPTED WITHOUT TOKEN: the session gets in as a guest (allow_empty_token = true).")
        case .undetermined: out.append("UNDETERMINED: the verdict depends on a check that cannot be made offline.")
        case .rejected:
            if let reason = v.rejectionReason {
                out.append("REJECTED at \(v.stage?.rawValue ?? "login"): \(reason)")
            } else {
                out.append("REJECTED at \(v.stage?.rawValue ?? "login") (no reason string is logged)")
            }
        }
        if let l = v.logLine { out.append("  Prosody logs: \(l)") }
        if let e = v.explanation { out.append("  Why: \(e)") }
        if let f = v.fix { out.append("  Fix: \(f)") }
        if let g = v.grants, v.status != .rejected {
            out.append("Grants:")
            out.append("  Rooms: \(g.roomsDescription)")
            if let t = g.tenant { out.append("  Tenant (context.tenant): \(t)") }
            out.append("  Affiliation: \(g.affiliation ?? "decided by jicofo") (via \(g.affiliationDecidedBy): \(g.affiliationDetail))")
            if g.lobbyBypass { out.append("  Lobby: bypassed (token_lobby_bypass)") }
            if !g.features.isEmpty { out.append("  Features: \(g.features.joined(separator: ", "))") }
            for n in g.notes { out.append("  Note: \(n)") }
        }
        for n in v.notes { out.append("Note: \(n)") }
        return out.joined(separator: "\n") + "\n"
    }

    static func indent(_ s: String) -> String {
        s.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
    }

    static func relative(_ delta: Double) -> String {
        let d = TokenJSON.formatNumber(abs(delta))
        return delta >= 0 ? "in \(d) s" : "\(d) s ago"
    }
}
