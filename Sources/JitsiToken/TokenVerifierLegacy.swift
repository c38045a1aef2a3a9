/// The rules of jitsi-meet before 2022-04: luajwtjitsi ≤ 2.0 `decode` (the header's `alg` is used,
/// no server-side pinning), then token/util's own checks in the order alg, iss, room, aud.
extension TokenVerifier {
    func verifyLegacy(decoded decodedToken: DecodedToken?, room: RoomTarget?, signatureMayBeStripped: Bool) -> TokenVerdict {
        var run = Run()
        let s = settings
        var notes: [String] = []

        run.step("library") {
            if s.appID == nil {
                return .fail("app_id is not set: token/util does not load (startup error `'app_id' must not be empty`)", reason: nil, condition: nil)
            }
            if s.appSecret == nil && s.asapKeyServer == nil {
                return .fail("neither app_secret nor asap_key_server is set: token/util does not load (startup error `'app_secret' or 'asap_key_server' must be specified`)",
                             reason: nil, condition: nil)
            }
            return .pass("app_id = \"\(s.appID!)\", key from \(s.asapKeyServer != nil ? "asap_key_server" : "app_secret")")
        }
        guard let decoded = decodedToken else {
            run.step("token-present") {
                s.allowEmptyToken ? .pass("no token; allow_empty_token = true lets the session in without one")
                    : .fail("no token in the session and allow_empty_token is not true", reason: "token required")
            }
            return finish(run, decoded: nil, room: room, notes: notes)
        }
        let token = decoded.raw
        run.step("token-present") { .pass("token of \(decoded.length) bytes") }

        // Key: the key server's PEM (asap_key_server), else app_secret.
        var key: [UInt8]?
        var kid: TokenJSON?
        run.step("key-header") {
            guard s.asapKeyServer != nil else { return .skip("not applicable: no asap_key_server") }
            guard let dot = token.firstIndex(of: ".") else {
                return .luaError("asap_key_server is set and the token has no '.': the SASL handler crashes before 2022-02 (#10970)")
            }
            guard let bytes = try? Base64URL.decode(token[..<dot]), let header = try? TokenJSON.parse(bytes) else {
                return .fail("asap_key_server is set and the header is not base64url JSON", reason: "bad token format")
            }
            guard let k = try? LuaField.get(header, "kid") else {
                return .fail("the header has no kid", reason: "'kid' claim is missing")
            }
            kid = k
            return .pass("kid = \(k.stringValue ?? k.display)")
        }
        run.step("key-alg") {
            guard s.asapKeyServer != nil else { return .skip("not applicable: no asap_key_server") }
            guard let alg = decoded.header.flatMap({ try? LuaField.get($0, "alg") }) else {
                return .fail("the header has no alg (2021-06+)", reason: "'alg' claim is missing")
            }
            guard (alg.stringValue ?? "").hasPrefix("RS") else {
                return .fail("alg \(alg.display) is not RS* (2021-06+)", reason: "'kid' claim only support with RS family")
            }
            return .pass("alg \(alg.display) is in the RS family")
        }
        run.step("key") {
            if s.asapKeyServer != nil {
                guard let pem = s.publicKeyPEM else {
                    return .unknown("the public key for kid \(kid?.display ?? "?") is not available offline; pass it with --public-key")
                }
                key = Array(pem.utf8)
                return .pass("public key from --public-key")
            }
            key = s.appSecret
            return .pass("app_secret (\(s.appSecret?.count ?? 0) bytes, used as raw bytes, masked)")
        }

        // luajwtjitsi ≤ 2.0: the token is cut at its first two dots (empty parts allowed).
        var parts: [Substring] = []
        do {
            var rest = Substring(token)
            while parts.count < 2, let dot = rest.firstIndex(of: ".") {
                parts.append(rest[..<dot])
                rest = rest[rest.index(after: dot)...]
            }
            parts.append(rest)
        }
        let stripped = signatureMayBeStripped && parts.count == 2
        run.step("structure") {
            if parts.count == 3 { return .pass("three parts") }
            if stripped { return .pass("two parts: the signature was stripped in the log") }
            return .fail("\(parts.count) part(s) instead of 3", reason: "Invalid token")
        }
        func json(_ seg: Substring) -> TokenJSON? {
            guard let bytes = try? Base64URL.decode(seg) else { return nil }
            return try? TokenJSON.parse(bytes)
        }
        let header = json(parts[0])
        let body = parts.count > 1 ? json(parts[1]) : nil
        run.step("json") {
            header == nil ? .fail("the header is not base64url JSON", reason: "Invalid json")
                : body == nil ? .fail("the payload is not base64url JSON", reason: "Invalid json")
                : .pass("header and payload are JSON")
        }
        let h = header ?? .object([])
        let b = body ?? .object([])
        var bodyError: LuaField.IndexError?
        func field(_ v: TokenJSON, _ k: String) -> TokenJSON? {
            do { return try LuaField.get(v, k) } catch { bodyError = error; return nil }
        }
        run.step("typ") {
            let typ = field(h, "typ")
            if let e = bodyError { return .luaError("the header is a JSON \(e.typeName), not an object: Prosody raises a Lua error") }
            return typ == .string("JWT") ? .pass("typ = \"JWT\"")
                : .fail(typ.map { "typ is \($0.display), not \"JWT\"" } ?? "the header has no typ", reason: "Invalid typ")
        }
        let alg = field(h, "alg")
        run.step("alg") {
            guard let a = alg?.stringValue else { return .fail("the header alg is \(alg?.display ?? "missing")", reason: "Invalid alg") }
            return .pass("alg = \(a) (taken from the header: no server-side pinning before 2022-04)")
        }
        let exp = field(b, "exp"), nbf = field(b, "nbf")
        run.step("exp-type") {
            if let e = bodyError { return .luaError("the payload is a JSON \(e.typeName), not an object: Prosody raises a Lua error") }
            return LuaField.truthy(exp) && exp?.numberValue == nil
                ? .fail("exp is \(exp!.display), not a number", reason: "exp must be number") : .pass("exp type ok")
        }
        run.step("nbf-type") {
            LuaField.truthy(nbf) && nbf?.numberValue == nil
                ? .fail("nbf is \(nbf!.display), not a number", reason: "nbf must be number") : .pass("nbf type ok")
        }
        let algName = alg?.stringValue ?? ""
        run.step("algorithm-supported") {
            Self.supportedAlgorithms.contains(algName) ? .pass("\(algName) is supported")
                : .fail("\(algName) is not one of \(Self.supportedAlgorithms.joined(separator: ", "))", reason: "Algorithm not supported")
        }
        run.step("signature") {
            if stripped { return .unknown("signature stripped in the log: cannot be verified") }
            guard let key else { return .unknown("no key to verify the signature") }
            let sig = (try? Base64URL.decode(parts[2])) ?? []
            let data = Array((parts[0] + "." + parts[1]).utf8)
            if algName.hasPrefix("HS") {
                if s.asapKeyServer != nil {
                    notes.append("HS* token checked with the key server's public key as HMAC secret (algorithm confusion, fixed 2021-06).")
                }
                return Self.verifyHMAC(algName, key: key, data: data, signature: sig)
                    ? .pass("\(algName) HMAC matches") : .fail("\(algName) HMAC does not match the key", reason: "Invalid signature")
            }
            switch Self.verifyRSA(algName, pem: String(decoding: key, as: UTF8.self), data: data, signature: sig) {
            case .success(true): return .pass("\(algName) signature matches the public key")
            case .success(false): return .fail("\(algName) signature does not match the public key", reason: "Invalid signature")
            case .failure(let p): return .fail(p.message, reason: "Not a public PEM key")
            }
        }
        let nowText = Self.timeText(now)
        run.step("exp") {
            guard let e = exp?.numberValue else { return .pass("no exp") }
            return now >= e ? .fail("now \(nowText) ≥ exp \(Self.timeText(e)) (no leeway)", reason: "Not acceptable by exp")
                : .pass("exp \(Self.timeText(e)) is after now \(nowText)")
        }
        run.step("nbf") {
            guard let n = nbf?.numberValue else { return .pass("no nbf") }
            return now < n ? .fail("now \(nowText) < nbf \(Self.timeText(n))", reason: "Not acceptable by nbf")
                : .pass("nbf \(Self.timeText(n)) ≤ now")
        }
        run.step("body-alg") {
            let a = field(b, "alg")
            return a == .string("none") || a == .string("")
                ? .fail("the payload's alg claim is \(a!.display)", reason: "'alg' claim must not be empty") : .pass("no empty alg claim")
        }
        let iss = field(b, "iss")
        run.step("iss-present") { iss == nil ? .fail("the payload has no iss", reason: "'iss' claim is missing") : .pass("iss = \(iss!.display)") }
        run.step("iss") {
            Self.claimAccepted(iss!, s.effectiveIssuers) ? .pass("iss accepted")
                : .fail("iss \(iss!.display) is not in asap_accepted_issuers \(s.effectiveIssuers)", reason: "Invalid issuer ('iss' claim)")
        }
        let roomClaim = field(b, "room")
        run.step("room-claim") {
            roomClaim == nil && s.requireRoomClaim
                ? .fail("no room claim while asap_require_room_claim is true (default)", reason: "'room' claim is missing")
                : .pass(roomClaim.map { "room = \($0.display)" } ?? "no room claim; asap_require_room_claim = false")
        }
        let aud = field(b, "aud")
        run.step("aud-present") { aud == nil ? .fail("the payload has no aud", reason: "'aud' claim is missing") : .pass("aud = \(aud!.display)") }
        run.step("aud") {
            Self.claimAccepted(aud!, s.acceptedAudiences) ? .pass("aud accepted")
                : .fail("aud \(aud!.display) is not in asap_accepted_audiences \(s.acceptedAudiences)", reason: "Invalid audience ('aud' claim)")
        }
        run.stage = .join
        let sub = field(b, "sub")
        run.step("room") { joinStep(room, body: b, roomClaim: roomClaim, sub: sub) }
        if stripped { notes.append("The log shows the token without its signature: the signature was not checked.") }
        return finish(run, decoded: decoded, room: room, notes: notes)
    }
}
