import Crypto
import _CryptoExtras
import JitsiToken
import LuaSyntax
import ProsodyConfig

/// Builds test tokens with swift-crypto (never hand-written crypto).
enum TokenFactory {
    static let secret = "s3cr3t-app-secret"
    static let now: Double = 1_790_000_000
    /// One RSA key for the whole suite (key generation is slow).
    static let rsaKey: _RSA.Signing.PrivateKey = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    static let otherRSAKey: _RSA.Signing.PrivateKey = try! _RSA.Signing.PrivateKey(keySize: .bits2048)

    static func segment(_ json: String) -> String { Base64URL.encode(Array(json.utf8)) }

    static func header(alg: String = "HS256", typ: String? = "JWT", kid: String? = nil) -> String {
        var parts = ["\"alg\":\"\(alg)\""]
        if let typ { parts.append("\"typ\":\"\(typ)\"") }
        if let kid { parts.append("\"kid\":\"\(kid)\"") }
        return "{" + parts.joined(separator: ",") + "}"
    }

    /// Claims that pass every check with `settings()` at `now`.
    static func claims(_ extra: [String: String] = [:], drop: Set<String> = []) -> String {
        var c: [(String, String)] = [
            ("iss", "\"my_app\""), ("aud", "\"jitsi\""), ("sub", "\"meet.example.com\""), ("room", "\"*\""),
            ("iat", TokenJSON.formatNumber(now - 60)), ("exp", TokenJSON.formatNumber(now + 3600)),
        ]
        c = c.filter { !drop.contains($0.0) }
        for (k, v) in extra.sorted(by: { $0.key < $1.key }) {
            if let i = c.firstIndex(where: { $0.0 == k }) { c[i].1 = v } else { c.append((k, v)) }
        }
        return "{" + c.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    static func hs(_ payload: String, header h: String? = nil, alg: String = "HS256", secret: String = secret) -> String {
        let input = segment(h ?? header(alg: alg)) + "." + segment(payload)
        let key = SymmetricKey(data: Array(secret.utf8))
        let data = Array(input.utf8)
        let mac: [UInt8]
        switch alg {
        case "HS384": mac = Array(HMAC<SHA384>.authenticationCode(for: data, using: key))
        case "HS512": mac = Array(HMAC<SHA512>.authenticationCode(for: data, using: key))
        default: mac = Array(HMAC<SHA256>.authenticationCode(for: data, using: key))
        }
        return input + "." + Base64URL.encode(mac)
    }

    static func rs(_ payload: String, header h: String? = nil, key: _RSA.Signing.PrivateKey = rsaKey) -> String {
        let input = segment(h ?? header(alg: "RS256", kid: "jitsi/key1")) + "." + segment(payload)
        let sig = try! key.signature(for: SHA256.hash(data: Array(input.utf8)), padding: .insecurePKCS1v1_5)
        return input + "." + Base64URL.encode(sig.rawRepresentation)
    }

    /// Settings of a typical app_secret deployment.
    static func settings(_ edit: (inout TokenSettings) -> Void = { _ in }) -> TokenSettings {
        var s = TokenSettings()
        s.host = "meet.example.com"
        s.appID = "my_app"
        s.appSecret = Array(secret.utf8)
        s.mucDomainBase = "meet.example.com"
        s.conferenceMUC = "conference.meet.example.com"
        s.conferenceModules = ["token_verification", "token_affiliation"]
        edit(&s)
        return s
    }

    static func keyServerSettings(withKey: Bool = true) -> TokenSettings {
        settings {
            $0.appSecret = nil
            $0.asapKeyServer = "https://keys.example.com/asap"
            $0.publicKeyPEM = withKey ? rsaKey.publicKey.pemRepresentation : nil
        }
    }

    static func verify(_ token: String?, settings s: TokenSettings = settings(), now t: Double = now,
                       room: String? = nil, stripped: Bool = false) -> TokenVerdict {
        let target = room.map { RoomTarget(parsing: $0, defaultMUC: s.mucDomain) }
        return TokenVerifier(settings: s, now: t).verify(token: token, room: target, signatureMayBeStripped: stripped)
    }

    // MARK: config models

    static func loc(_ line: Int) -> SourceLocation {
        let p = SourcePosition(offset: 0, line: line, column: 1)
        return SourceLocation(file: "/etc/prosody/prosody.cfg.lua", range: SourceRange(start: p, end: p))
    }

    static func section(_ name: String, _ kind: SectionKind, _ options: [(String, ConfigValue)]) -> ConfigSection {
        ConfigSection(name: name, kind: kind, declarations: [loc(1)],
                      options: options.enumerated().map { ConfigOption(name: $1.0, value: $1.1, location: loc($0 + 2)) })
    }

    static func list(_ items: [String]) -> ConfigValue {
        .table(ConfigTable(entries: items.enumerated().map { .init(key: .integer(Int64($0 + 1)), value: .string($1)) }))
    }

    /// The motivating thread's deployment: token main vhost with allow_empty_token, a conference
    /// MUC with token_verification + token_affiliation.
    static func seedConfiguration(secret: String = secret) -> ProsodyConfiguration {
        let global = section("*", .global, [("muc_mapper_domain_base", .string("meet.example.com"))])
        let main = section("meet.example.com", .virtualHost, [
            ("authentication", .string("token")), ("app_id", .string("my_app")), ("app_secret", .string(secret)),
            ("allow_empty_token", .boolean(true)), ("main_muc", .string("conference.meet.example.com")),
        ])
        let guest = section("guest.meet.example.com", .virtualHost, [("authentication", .string("jitsi-anonymous"))])
        let muc = section("conference.meet.example.com", .component(module: "muc"), [
            ("modules_enabled", list(["muc_meeting_id", "token_verification", "token_affiliation"])),
        ])
        return ProsodyConfiguration(global: global, sections: [main, guest, muc], assignments: [], files: [], problems: [])
    }
}
