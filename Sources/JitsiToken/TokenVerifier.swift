import Crypto
import _CryptoExtras

/// The room a user joins, as the MUC sees it: node `[tenant]name` or `name`, and the MUC host.
public struct RoomTarget: Sendable, Equatable {
    public var node: String
    public var mucDomain: String?

    public init(node: String, mucDomain: String?) {
        self.node = node
        self.mucDomain = mucDomain
    }

    /// Accepts a room JID (`room@conference.example.com/nick`), a node (`[tenant]room`), a URL
    /// path (`tenant/room`) or a plain name. Names are lower-cased (ASCII), as the client does.
    public init(parsing text: String, defaultMUC: String?) {
        var t = Substring(text)
        var muc = defaultMUC
        if let at = t.lastIndex(of: "@") {
            var host = t[t.index(after: at)...]
            if let slash = host.firstIndex(of: "/") { host = host[..<slash] }
            muc = String(host)
            t = t[..<at]
        } else if !t.hasPrefix("["), let slash = t.firstIndex(of: "/") {
            let tenant = t[..<slash]
            let name = t[t.index(after: slash)...]
            t = Substring("[\(tenant)]\(name)")
        }
        node = asciiLower(String(t))
        mucDomain = muc.map(asciiLower)
    }

    public var jid: String { mucDomain.map { "\(node)@\($0)" } ?? node }

    /// `[tenant]name` split like util's extract_subdomain (`^%[([^%]]+)%](.+)$`).
    public var tenantAndName: (tenant: String?, name: String) {
        if node.hasPrefix("["), let close = node.firstIndex(of: "]"), close > node.index(after: node.startIndex) {
            let name = node[node.index(after: close)...]
            if !name.isEmpty {
                return (String(node[node.index(after: node.startIndex)..<close]), String(name))
            }
        }
        return (nil, node)
    }
}

/// Lua `string.lower`: ASCII only.
func asciiLower(_ s: String) -> String {
    String(decoding: s.utf8.map { ($0 >= 65 && $0 <= 90) ? $0 + 32 : $0 }, as: UTF8.self)
}

/// Applies Jitsi's token rules (research §5) in the library's order.
public struct TokenVerifier: Sendable {
    public static let supportedAlgorithms = ["HS256", "HS384", "HS512", "RS256", "RS384", "RS512"]

    public var settings: TokenSettings
    /// Current time, seconds since the epoch (Prosody's `os.time()`, so truncated to seconds).
    public var now: Double

    public init(settings: TokenSettings, now: Double) {
        self.settings = settings
        self.now = now.rounded(.down)
    }

    enum Step {
        case pass(String)
        case skip(String)
        case fail(String, reason: String?, condition: String? = "not-allowed")
        /// Prosody would raise a Lua error here (traceback, no reason logged).
        case luaError(String)
        /// The check could not be made offline; the verdict is at best undetermined.
        case unknown(String)
    }

    struct Run {
        var checks: [TokenCheck] = []
        var failure: (reason: String?, condition: String?, stage: TokenStage, luaError: Bool)?
        var undetermined: [String] = []
        var stage: TokenStage = .login

        mutating func step(_ name: String, _ body: () -> Step) {
            if failure != nil {
                checks.append(TokenCheck(name: name, outcome: .skipped, detail: "not reached: Prosody stops at the first failure"))
                return
            }
            switch body() {
            case .pass(let d): checks.append(TokenCheck(name: name, outcome: .passed, detail: d))
            case .skip(let d): checks.append(TokenCheck(name: name, outcome: .skipped, detail: d))
            case .unknown(let d):
                checks.append(TokenCheck(name: name, outcome: .skipped, detail: d))
                undetermined.append(d)
            case let .fail(d, reason, condition):
                checks.append(TokenCheck(name: name, outcome: .failed, detail: d, reason: reason))
                failure = (reason, condition, stage, false)
            case .luaError(let d):
                checks.append(TokenCheck(name: name, outcome: .failed, detail: d, reason: nil))
                failure = (nil, nil, stage, true)
            }
        }
    }

    /// Verifies `token` (nil: the session carried none). `room` adds the MUC-time check.
    /// `signatureMayBeStripped`: the token comes from a log that drops the signature.
    public func verify(token: String?, room: RoomTarget? = nil, signatureMayBeStripped: Bool = false) -> TokenVerdict {
        verify(decoded: token.map(DecodedToken.init), room: room, signatureMayBeStripped: signatureMayBeStripped)
    }

    /// As `verify(token:)`, for a token already taken apart.
    public func verify(decoded decodedToken: DecodedToken?, room: RoomTarget? = nil, signatureMayBeStripped: Bool = false) -> TokenVerdict {
        if settings.era == .legacy {
            return verifyLegacy(decoded: decodedToken, room: room, signatureMayBeStripped: signatureMayBeStripped)
        }
        let token = decodedToken?.raw
        var run = Run()
        let s = settings
        var notes: [String] = []

        // 0. token/util refuses to load without app_id or a key source (startup error).
        run.step("library") {
            if s.appID == nil {
                return .fail("app_id is not set\(s.host.map { " for \($0)" } ?? ""): token/util does not load (startup error `'app_id' must not be empty`)",
                             reason: nil, condition: nil)
            }
            if s.appSecret == nil && !s.usesKeyServer {
                return .fail("neither app_secret nor asap_key_server/cache_keys_url is set: token/util does not load (startup error `'app_secret', 'asap_key_server or 'cacheKeysUrl' must be specified`)",
                             reason: nil, condition: nil)
            }
            return .pass("app_id = \"\(s.appID!)\", key from \(s.usesKeyServer ? (s.asapKeyServer != nil ? "asap_key_server" : "cache_keys_url") : "app_secret")")
        }

        // 1. Token presence.
        guard let token else {
            run.step("token-present") {
                s.allowEmptyToken
                    ? .pass("no token; allow_empty_token = true lets the session in without one")
                    : .fail("no token in the session and allow_empty_token is not true", reason: "token required")
            }
            return finish(run, decoded: nil, room: room, notes: notes)
        }
        run.step("token-present") { .pass("token of \(token.utf8.count) bytes") }
        let decoded = decodedToken!
        let stripped = signatureMayBeStripped && decoded.segments.count == 2

        // 2. Key selection.
        var rsaKeyPEM: String?
        var secret: [UInt8]?
        let keyServerName = s.asapKeyServer != nil ? "asap_key_server" : "cache_keys_url"
        var kid: String?
        run.step("key-header") {
            guard s.usesKeyServer else { return .skip("not applicable: no asap_key_server / cache_keys_url") }
            guard let dot = token.firstIndex(of: ".") else {
                return .fail("\(keyServerName) is set and the token has no '.'", reason: "Invalid token")
            }
            let first = token[..<dot]
            guard let bytes = try? Base64URL.decode(first), let header = try? TokenJSON.parse(bytes) else {
                return .fail("\(keyServerName) is set and the header is not base64url JSON", reason: "bad token format")
            }
            do throws(LuaField.IndexError) {
                let k = try LuaField.get(header, "kid")
                if let k { kid = k.stringValue ?? k.display }
                return .pass("header decoded")
            } catch {
                return .luaError("the header is a JSON \(error.typeName), not an object: Prosody raises a Lua error")
            }
        }
        run.step("kid") {
            guard s.usesKeyServer else { return .skip("not applicable: no key server") }
            guard let kid else { return .fail("the header has no kid", reason: "'kid' claim is missing") }
            return .pass("kid = \(kid)")
        }
        run.step("key-alg") {
            guard s.usesKeyServer else { return .skip("not applicable: no key server") }
            guard let header = decoded.header, let alg = try? LuaField.get(header, "alg") else {
                return .fail("the header has no alg", reason: "'alg' claim is missing")
            }
            guard case .string(let a) = alg else {
                return .luaError("header alg is a JSON \(alg.luaTypeName): Prosody raises a Lua error on alg:sub()")
            }
            guard a.hasPrefix("RS") else {
                return .fail("alg \(a) is not RS*: with a key server only RSA tokens are accepted",
                             reason: "'kid' claim only support with RS family")
            }
            return .pass("alg \(a) is in the RS family")
        }
        run.step("key") {
            if s.usesKeyServer {
                let url = s.asapKeyServer.flatMap { $0 == TokenSettings.publicKeyPlaceholder ? nil : $0 }.map { server in
                    let digest = SHA256.hash(data: Array((kid ?? "").utf8))
                    let hex = digest.map { String(format2: $0) }.joined()
                    return (server.hasSuffix("/") ? server : server + "/") + hex + ".pem"
                } ?? (s.cacheKeysURL != nil ? "the keys at cache_keys_url" : "the key server")
                guard let pem = s.publicKeyPEM else {
                    return .unknown("the public key is not available offline: Prosody fetches \(url); pass it with --public-key")
                }
                rsaKeyPEM = pem
                return .pass("public key from --public-key (Prosody fetches \(url))")
            }
            guard let sec = s.appSecret else {
                return .fail("neither app_secret nor a key server is set", reason: "signature verification key is missing")
            }
            secret = sec
            return .pass("app_secret (\(sec.count) bytes, used as raw bytes, masked)")
        }

        // 3. luajwtjitsi.verify
        let expected = s.expectedAlgorithm
        run.step("algorithm-supported") {
            Self.supportedAlgorithms.contains(expected)
                ? .pass("expected algorithm \(expected)\(s.signatureAlgorithm == nil ? " (default)" : " (signature_algorithm)")")
                : .fail("signature_algorithm \(expected) is not one of \(Self.supportedAlgorithms.joined(separator: ", "))",
                        reason: "Algorithm not supported")
        }
        run.step("structure") {
            if decoded.segments.count == 3 { return .pass("three segments") }
            if stripped { return .pass("two segments: the signature was stripped in the log") }
            return .fail("\(decoded.segments.count) non-empty segment(s) instead of 3", reason: "Invalid token")
        }
        run.step("header-json") {
            if let e = decoded.headerError { return .fail("header \(e)", reason: "Invalid header") }
            return .pass("header is JSON")
        }
        run.step("body-json") {
            if let e = decoded.payloadError { return .fail("payload \(e)", reason: "Invalid body") }
            return .pass("payload is JSON")
        }
        run.step("signature-encoding") {
            if stripped { return .unknown("signature stripped in the log") }
            if decoded.signature == nil { return .fail("the signature segment is not base64url", reason: "Invalid signature") }
            return .pass("signature segment decodes (\(decoded.signatureByteCount ?? 0) bytes, masked)")
        }
        let header = decoded.header ?? .object([])
        let body = decoded.payload ?? .object([])
        run.step("typ") {
            do throws(LuaField.IndexError) {
                let typ = try LuaField.get(header, "typ")
                guard typ == .string("JWT") else {
                    return .fail(typ.map { "typ is \($0.display), not \"JWT\"" } ?? "the header has no typ", reason: "Invalid typ")
                }
                return .pass("typ = \"JWT\"")
            } catch {
                return .luaError("the header is a JSON \(error.typeName), not an object: Prosody raises a Lua error")
            }
        }
        run.step("alg") {
            let alg = try? LuaField.get(header, "alg")
            guard alg == .string(expected) else {
                let got = alg.map { "header alg is \($0.display)" } ?? "the header has no alg"
                return .fail("\(got); the server expects \(expected)", reason: "Invalid or incorrect alg")
            }
            return .pass("alg = \(expected)")
        }
        run.step("signature") {
            if stripped { return .unknown("signature stripped in the log: cannot be verified (Prosody verified it at login)") }
            guard let sig = decoded.signature else { return .fail("no signature", reason: "Invalid signature") }
            let data = decoded.signingInput
            if expected.hasPrefix("HS") {
                guard let key = secret else {
                    return .fail("HMAC algorithm but the key is an RSA public key", reason: "Invalid signature")
                }
                return Self.verifyHMAC(expected, key: key, data: data, signature: sig)
                    ? .pass("\(expected) HMAC matches app_secret")
                    : .fail("\(expected) HMAC does not match app_secret", reason: "Invalid signature")
            }
            // With app_secret and an RS* signature_algorithm, luajwtjitsi uses app_secret as the PEM key.
            guard let pem = rsaKeyPEM ?? secret.map({ String(decoding: $0, as: UTF8.self) }) else {
                return .unknown("no public key to verify the \(expected) signature")
            }
            switch Self.verifyRSA(expected, pem: pem, data: data, signature: sig) {
            case .success(true): return .pass("\(expected) signature matches the public key")
            case .success(false): return .fail("\(expected) signature does not match the public key", reason: "Invalid signature")
            case .failure(let problem): return .fail(problem.message, reason: "Invalid signature")
            }
        }
        // Body checks: a body that is not a table makes Lua fail on the first field access.
        var bodyIndexError: LuaField.IndexError?
        func field(_ k: String) -> TokenJSON? {
            do { return try LuaField.get(body, k) } catch { bodyIndexError = error; return nil }
        }
        let exp = field("exp"), nbf = field("nbf"), iat = field("iat")
        let bodyLuaError: Step? = bodyIndexError.map {
            .luaError("the payload is a JSON \($0.typeName), not an object: Prosody raises a Lua error")
        }
        run.step("exp-type") {
            if let bodyLuaError { return bodyLuaError }
            if LuaField.truthy(exp), exp?.numberValue == nil {
                return .fail("exp is \(exp!.display), not a number", reason: "exp must be number")
            }
            return .pass(exp == nil ? "no exp (optional)" : "exp is a number")
        }
        run.step("nbf-type") {
            if LuaField.truthy(nbf), nbf?.numberValue == nil {
                return .fail("nbf is \(nbf!.display), not a number", reason: "nbf must be number")
            }
            return .pass(nbf == nil ? "no nbf (optional)" : "nbf is a number")
        }
        let nowText = Self.timeText(now)
        run.step("exp") {
            guard let e = exp?.numberValue else { return .pass("no exp: the token never expires") }
            if now >= e {
                var extra = ""
                if let i = iat?.numberValue ?? iat?.stringValue.flatMap(Double.init) {
                    extra = ", valid for:\(TokenJSON.formatNumber(e - i)) sec"
                }
                return .fail("now \(nowText) ≥ exp \(Self.timeText(e)) (no leeway)",
                             reason: s.era == .y2022 ? "Not acceptable by exp"
                                : "Not acceptable by exp (\(TokenJSON.formatNumber(now - e)) sec since expired\(extra))")
            }
            return .pass("exp \(Self.timeText(e)) is \(TokenJSON.formatNumber(e - now)) s after now \(nowText)")
        }
        run.step("nbf") {
            guard let n = nbf?.numberValue else { return .pass("no nbf") }
            if now < n {
                return .fail("now \(nowText) < nbf \(Self.timeText(n)) (\(TokenJSON.formatNumber(n - now)) s early, no leeway)",
                             reason: "Not acceptable by nbf")
            }
            return .pass("nbf \(Self.timeText(n)) ≤ now \(nowText)")
        }
        let issuers = s.effectiveIssuers
        let iss = field("iss")
        run.step("iss-present") {
            iss == nil ? .fail("the payload has no iss", reason: "'iss' claim is missing") : .pass("iss = \(iss!.display)")
        }
        run.step("iss") {
            let listText = "asap_accepted_issuers = { \(issuers.map { "\"\($0)\"" }.joined(separator: ", ")) }\(s.acceptedIssuers == nil ? " (default: app_id)" : "")"
            if Self.claimAccepted(iss!, issuers) { return .pass("iss accepted by \(listText)") }
            return .fail("iss \(iss!.display) is not in \(listText)", reason: "invalid 'iss' claim")
        }
        let aud = field("aud")
        run.step("aud-present") {
            aud == nil ? .fail("the payload has no aud (required even when any audience is accepted)", reason: "'aud' claim is missing")
                : .pass("aud = \(aud!.display)")
        }
        run.step("aud") {
            let listText = "asap_accepted_audiences = { \(s.acceptedAudiences.map { "\"\($0)\"" }.joined(separator: ", ")) }"
            if Self.claimAccepted(aud!, s.acceptedAudiences) { return .pass("aud accepted by \(listText)") }
            return .fail("aud \(aud!.display) is not in \(listText)", reason: "invalid 'aud' claim")
        }
        let roomClaim = field("room")
        run.step("room-claim") {
            if roomClaim != nil { return .pass("room = \(roomClaim!.display)") }
            if s.requireRoomClaim {
                if s.era != .current {
                    // Returned in the err position: `err:'room' claim is missing, reason:nil`.
                    return .fail("no room claim while asap_require_room_claim is true (default)",
                                 reason: "'room' claim is missing", condition: nil)
                }
                return .fail("no room claim while asap_require_room_claim is true (default)",
                             reason: "room claim is missing", condition: "not-authorized")
            }
            return .pass("no room claim; asap_require_room_claim = false")
        }
        let sub = field("sub")
        run.step("sub-claim") {
            if !s.era.requiresSub { return .skip(sub == nil ? "no sub: not checked at login before 2026-05 (domain verification fails on it at join)" : "sub = \(sub!.display)") }
            return sub == nil ? .fail("the payload has no sub", reason: "sub claim is missing", condition: "not-authorized")
                : .pass("sub = \(sub!.display)")
        }

        // MUC join.
        run.stage = .join
        run.step("room") {
            joinStep(room, body: body, roomClaim: roomClaim, sub: sub)
        }
        if stripped { notes.append("The log shows the token without its signature: the signature was not checked.") }
        return finish(run, decoded: decoded, room: room, notes: notes)
    }


    /// The MUC-time check, with the era's failure reporting.
    func joinStep(_ room: RoomTarget?, body: TokenJSON, roomClaim: TokenJSON?, sub: TokenJSON?) -> Step {
        let s = settings
        guard let room else { return .skip("no room given (--room): see the rooms the token grants") }
        if s.enableDomainVerification, sub?.stringValue == nil, sub?.numberValue == nil {
            // string.lower(sub) on nil (or a table/boolean) raises in verify_room (F40).
            return .luaError("domain verification lower-cases sub, which is \(sub.map { "a JSON \($0.luaTypeName)" } ?? "missing"): Lua error `bad argument #1 to 'lower'`, the join aborts")
        }
        let step = verifyRoom(room, body: body, roomClaim: roomClaim, sub: sub)
        guard !s.era.hasNamedJoinReasons, case let .fail(detail, _, condition) = step else { return step }
        // Before 2025-09 verify_room returned plain false; the client is told "Room and token mismatched".
        switch condition {
        case "invalid-room-address": return .pass("the room address has no node: allowed before 2025-09")
        case "invalid-regex": return .luaError("\(detail): string.match raises a Lua error before 2026-06")
        default: return .fail(detail, reason: "Room and token mismatched", condition: nil)
        }
    }

    func finish(_ run: Run, decoded: DecodedToken?, room: RoomTarget?, notes: [String]) -> TokenVerdict {
        var verdict = TokenVerdict(status: .accepted, checks: run.checks, rejectionReason: nil, errorCondition: nil,
                                   stage: nil, logLine: nil, explanation: nil, fix: nil, grants: nil, notes: notes + settings.notes)
        if let failure = run.failure {
            verdict.status = .rejected
            verdict.rejectionReason = failure.reason
            verdict.errorCondition = failure.condition
            verdict.stage = failure.stage
            let text = TokenExplanations.explain(reason: failure.reason, luaError: failure.luaError,
                                                 check: verdict.failedCheck, settings: settings)
            verdict.explanation = text.explanation
            verdict.fix = text.fix
            if verdict.failedCheck?.name == "library" {
                verdict.logLine = "No available SASL mechanisms, verify that the configured authentication module 'token' is loaded and configured correctly"
            } else if failure.stage == .login {
                verdict.logLine = failure.luaError
                    ? "Traceback[c2s]: …/token/util.lib.lua: attempt to index a non-table value"
                    : failure.condition == nil
                        ? "Error verifying token err:\(failure.reason ?? "nil"), reason:nil"
                        : "Error verifying token err:\(failure.condition!), reason:\(failure.reason ?? "")"
            } else {
                let claim = { (k: String) in (decoded?.payload).flatMap { try? LuaField.get($0, k) }.map { $0.stringValue ?? $0.display } ?? "nil" }
                verdict.logLine = failure.luaError
                    ? "Traceback[bosh]: …/token/util.lib.lua: \(verdict.failedCheck?.detail ?? "Lua error")"
                    : settings.era != .current
                    ? "Token <token> not allowed to join: \(room?.jid ?? "?")"
                    : "User <jid> not allowed to join: \(room?.jid ?? "?") token: <token> token room: \(claim("room")) token sub: \(claim("sub")) err: \(failure.condition ?? "nil") reason: \(failure.reason ?? "")"
            }
            if !run.undetermined.isEmpty {
                verdict.notes.append("Assuming the signature is valid (\(run.undetermined.joined(separator: "; "))); otherwise the reason would be `Invalid signature`.")
            }
            return verdict
        }
        guard let decoded else {
            verdict.status = settings.allowEmptyToken ? .acceptedWithoutToken : .rejected
            verdict.explanation = "The session carries no token. With allow_empty_token = true Prosody lets it in as a guest: no room restriction from a token, no token_affiliation; roles come from jicofo or other modules. If the user opened a `?jwt=` URL, the token never reached Prosody (lost query string at the proxy, `#jwt=` instead of `?jwt=`, or a session hook registered per host instead of globally)."
            verdict.fix = "Check that the BOSH/WebSocket URL carries `token=` up to Prosody and that mod_auth_token / mod_jitsi_session register bosh-session / websocket-session with module:hook_global."
            return verdict
        }
        if !run.undetermined.isEmpty {
            verdict.status = .undetermined
            verdict.explanation = "All checks that could be made pass, but " + run.undetermined.joined(separator: "; ") + "."
            verdict.fix = settings.usesKeyServer && settings.publicKeyPEM == nil
                ? "Pass the PEM public key the key server serves for this kid with --public-key." : nil
        }
        verdict.grants = TokenGrantsBuilder(settings: settings).grants(for: decoded)
        return verdict
    }

    static func claimAccepted(_ claim: TokenJSON, _ accepted: [String]) -> Bool {
        for a in accepted {
            if a == "*" { return true }
            if claim == .string(a) { return true }
        }
        return false
    }

    static func verifyHMAC(_ alg: String, key: [UInt8], data: [UInt8], signature: [UInt8]) -> Bool {
        let k = SymmetricKey(data: key)
        switch alg {
        case "HS256": return HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: data, using: k)
        case "HS384": return HMAC<SHA384>.isValidAuthenticationCode(signature, authenticating: data, using: k)
        case "HS512": return HMAC<SHA512>.isValidAuthenticationCode(signature, authenticating: data, using: k)
        default: return false
        }
    }

    static func verifyRSA(_ alg: String, pem: String, data: [UInt8], signature: [UInt8]) -> Result<Bool, RSAKeyProblem> {
        let key: _RSA.Signing.PublicKey
        do { key = try _RSA.Signing.PublicKey(unsafePEMRepresentation: pem) } catch {
            return .failure(RSAKeyProblem(message: "the key is not a PEM RSA public key (of at least 1024 bits)"))
        }
        let sig = _RSA.Signing.RSASignature(rawRepresentation: signature)
        switch alg {
        case "RS256": return .success(key.isValidSignature(sig, for: SHA256.hash(data: data), padding: .insecurePKCS1v1_5))
        case "RS384": return .success(key.isValidSignature(sig, for: SHA384.hash(data: data), padding: .insecurePKCS1v1_5))
        case "RS512": return .success(key.isValidSignature(sig, for: SHA512.hash(data: data), padding: .insecurePKCS1v1_5))
        default: return .success(false)
        }
    }

    struct RSAKeyProblem: Error { var message: String }

    static func timeText(_ t: Double) -> String {
        "\(TokenJSON.formatNumber(t)) (\(UTCTime.iso8601(t)))"
    }

    /// verify_room (research §5.3), for a session that passed login.
    func verifyRoom(_ room: RoomTarget, body: TokenJSON, roomClaim: TokenJSON?, sub: TokenJSON?) -> Step {
        let s = settings
        guard !room.node.isEmpty else {
            return .fail("the room address has no node", reason: "Room address is invalid", condition: "invalid-room-address")
        }
        var authRoom: String?
        if let rc = roomClaim {
            guard case .string(let r) = rc else {
                return .fail("room claim is a JSON \(rc.luaTypeName), not a string (Prosody warns `session.jitsi_meet_room not string`)",
                             reason: "Room and token mismatched", condition: nil)
            }
            authRoom = asciiLower(r)
        }
        let (tenant, name) = room.tenantAndName
        if !s.enableDomainVerification {
            guard let a = authRoom else { return .pass("no room claim: any room (domain verification off)") }
            if a == "*" || a == room.node || room.node.hasSuffix("]" + a) {
                return .pass("room claim \"\(a)\" allows \(room.node) (domain verification off: sub not checked)")
            }
            return .fail("room claim \"\(a)\" ≠ room \(room.node) (domain verification off)",
                         reason: "Room does not match the room from token", condition: "room-mismatch")
        }
        var roomToCheck: String?
        if authRoom == "*" {
            roomToCheck = name
        } else if let a = authRoom, let ctx = try? LuaField.get(body, "context"),
                  let croom = try? LuaField.get(ctx, "room"), let rx = try? LuaField.get(croom, "regex"), rx.isTrue {
            do { roomToCheck = try LuaPattern.match(name, a) } catch {
                return .fail("room claim \"\(a)\" is not a valid Lua pattern (\(error.message))",
                             reason: "Room claim is not a valid Lua pattern", condition: "invalid-regex")
            }
            if roomToCheck == nil {
                return .fail("Lua pattern \"\(a)\" does not match room name \(name)",
                             reason: "Room name cannot be matched to the one from token.", condition: "room-name-does-not-match")
            }
        } else {
            roomToCheck = authRoom
        }
        guard let rtc = roomToCheck else {
            if !s.requireRoomClaim { return .pass("no room claim and asap_require_room_claim = false: any room") }
            return .fail("no room claim", reason: "Room name cannot be matched to the one from token.", condition: "room-name-does-not-match")
        }
        let subText = sub.flatMap(\.stringValue).map(asciiLower) ?? ""
        let expected: String?
        if let tenant {
            guard let mucDomain = s.mucDomain else {
                return .fail("tenant room [\(tenant)] but muc_mapper_domain_base is not set",
                             reason: "Misconfiguration of server", condition: "server-missing-config")
            }
            let t = subText == "*" ? tenant : subText
            expected = "[\(asciiLower(t))]\(asciiLower(rtc))@\(mucDomain)"
        } else {
            let domain = subText == "*" ? s.mucDomain : "\(s.mucDomainPrefix).\(subText)"
            expected = domain.map { "\(asciiLower(rtc))@\(asciiLower($0))" }
        }
        guard let roomMUC = room.mucDomain else {
            // No deployment known (no config, no --host): only the room name can be compared.
            if rtc == name { return .pass("room name \(name) matches; the MUC domain is unknown, so sub was not checked (give --config, --host or room@muc)") }
            return .fail("the token allows the room \(rtc) but the room is \(name)", reason: "Room and token mismatched", condition: nil)
        }
        _ = roomMUC
        let actual = room.jid
        guard let expected, expected == actual else {
            return .fail("the token allows \(expected ?? "no room (muc_mapper_domain_base unset, so sub \"*\" cannot match)") but the room is \(actual)",
                         reason: "Room and token mismatched", condition: nil)
        }
        return .pass("the token allows \(expected)")
    }
}

extension String {
    init(format2 byte: UInt8) {
        let hex = String(byte, radix: 16)
        self = hex.count == 1 ? "0" + hex : hex
    }
}
