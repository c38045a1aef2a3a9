import ProsodyConfig

/// Which jitsi-meet token code runs: the reason strings and the rule order changed over time
/// (research §1c and the version timeline).
public enum JitsiEra: String, Sendable, CaseIterable {
    /// Before 2022-04: luajwtjitsi ≤ 2.0 (`alg` taken from the header), old token/util order
    /// (iss, room, aud), `Invalid json`, `Invalid issuer ('iss' claim)`; domain verification off by default.
    case legacy
    /// 2022-04 → 2024-06: the server dictates the algorithm; `Not acceptable by exp`; a missing room
    /// claim is logged as `err:'room' claim is missing, reason:nil`.
    case y2022 = "2022"
    /// 2024-10 → 2026-05: `Not acceptable by exp (N sec since expired, valid for:M sec)`.
    case y2024 = "2024"
    /// 2026-05 and later: `room claim is missing` / `sub claim is missing` (not-authorized), named
    /// room-verification reasons (2025-09+).
    case current

    /// Named join failure reasons (`room-mismatch`…) exist since 2025-09.
    public var hasNamedJoinReasons: Bool { self == .current }
    /// `sub` required at login since 2026-05.
    public var requiresSub: Bool { self == .current }
    public var defaultDomainVerification: Bool { self != .legacy }
}

/// The verification settings token/util.lib.lua would read, plus what the outcome needs to know
/// about the conference MUC. Built from the config model (`init(configuration:host:)`) and/or flags.
public struct TokenSettings: Sendable {
    /// The VirtualHost whose options are read (mod_auth_token's host), if known.
    public var host: String?
    /// The jitsi-meet version range whose rules apply.
    public var era: JitsiEra = .current
    public var appID: String?
    /// `app_secret`, used as raw bytes (never base64-decoded), as Jitsi does. Never printed.
    public var appSecret: [UInt8]?
    public var asapKeyServer: String?
    public var cacheKeysURL: String?
    /// `signature_algorithm`; nil means the default (RS256 with a key server/cache URL, else HS256).
    public var signatureAlgorithm: String?
    public var allowEmptyToken: Bool = false
    /// Default true (jitsi-meet ≥ 2022-07-12).
    public var enableDomainVerification: Bool = true
    /// nil means the default `{ app_id }`.
    public var acceptedIssuers: [String]?
    public var acceptedAudiences: [String] = ["*"]
    public var requireRoomClaim: Bool = true
    public var mucDomainBase: String?
    public var mucDomainPrefix: String = "conference"
    /// `muc_mapper_domain` as set; see `mucDomain` for the effective value.
    public var mucMapperDomain: String?
    /// The conference MUC component of the host, if found.
    public var conferenceMUC: String?
    /// Modules enabled on the conference MUC (its own `modules_enabled`).
    public var conferenceModules: [String] = []
    public var waitForHostDisableAutoOwners: Bool = false
    /// Whether jicofo authentication is enabled; nil when unknown (jicofo.conf is not read).
    public var jicofoAuthentication: Bool?
    /// An RSA public key (PEM) given with `--public-key`, standing for the key server's answer.
    public var publicKeyPEM: String?
    /// Where each option came from ("file:line", "--secret-file", "default").
    public var provenance: [String: String] = [:]
    /// Things noticed while reading the config (ambiguities, types Prosody would reject).
    public var notes: [String] = []

    public init() {}

    /// `asap_key_server` stand-in when only `--public-key` is given (the key server's answer).
    public static let publicKeyPlaceholder = "<--public-key>"

    /// Effective `muc_domain` as token/util computes it (only defined with `muc_mapper_domain_base`).
    public var mucDomain: String? {
        guard let base = mucDomainBase else { return nil }
        return mucMapperDomain ?? "\(mucDomainPrefix).\(base)"
    }

    /// Whether the key comes from a key server (`asap_key_server` or `cache_keys_url`).
    public var usesKeyServer: Bool { asapKeyServer != nil || cacheKeysURL != nil }

    /// The algorithm the server dictates (luajwtjitsi ≥ 3.0).
    public var expectedAlgorithm: String {
        if let a = signatureAlgorithm { return a }
        return usesKeyServer ? "RS256" : "HS256"
    }

    public var effectiveIssuers: [String] { acceptedIssuers ?? (appID.map { [$0] } ?? []) }
}

public enum TokenSettingsError: Error, Sendable, Equatable {
    /// Several VirtualHosts use `authentication = "token"`; the caller must choose one.
    case ambiguousHost([String])
    case unknownHost(String)
}

extension TokenSettings {
    /// The VirtualHost with `authentication = "token"`, when exactly one exists.
    public static func tokenHost(in configuration: ProsodyConfiguration) throws(TokenSettingsError) -> String? {
        let hosts = configuration.virtualHosts.filter {
            configuration.effectiveOption("authentication", in: $0.name)?.value.stringValue == "token"
        }.map(\.name)
        if hosts.count > 1 { throw .ambiguousHost(hosts) }
        return hosts.first
    }

    /// Reads the options of `host` (host value, else global — Prosody's scoping) the way
    /// token/util does, and finds the conference MUC and its modules.
    public init(configuration: ProsodyConfiguration, host: String, era: JitsiEra = .current) {
        self.init()
        self.host = host
        self.era = era
        if configuration.section(named: host) == nil {
            notes.append("No VirtualHost \"\(host)\" in the configuration: only global options apply.")
        }
        func opt(_ name: String) -> ConfigOption? { configuration.effectiveOption(name, in: host) }
        if let auth = opt("authentication")?.value.stringValue, auth != "token" {
            notes.append("\(host) uses authentication = \"\(auth)\", not \"token\": Prosody does not verify tokens at login there.")
        }
        func record(_ name: String, _ o: ConfigOption) {
            provenance[name] = "\(o.location.file):\(o.location.line)"
        }
        func string(_ name: String) -> String? {
            guard let o = opt(name) else { return nil }
            record(name, o)
            switch o.value {
            case .string(let s): return s
            case .integer(let i): return String(i)
            case .float(let f): return String(f)
            case .dynamic(let reason):
                notes.append("`\(name)` is not statically known (\(reason)); treated as unset.")
                return nil
            default:
                notes.append("`\(name)` is not a string; Prosody's get_option_string would reject it.")
                return nil
            }
        }
        func bool(_ name: String, default def: Bool) -> Bool {
            guard let o = opt(name) else { return def }
            record(name, o)
            switch o.value {
            case .boolean(let b): return b
            case .string(let s):
                switch s.lowercased() {
                case "true", "yes", "1", "on", "enabled": return true
                case "false", "no", "0", "off", "disabled": return false
                default: break
                }
            default: break
            }
            notes.append("`\(name)` is not a boolean; using the default \(def).")
            return def
        }
        func array(_ name: String) -> [String]? {
            guard let o = opt(name) else { return nil }
            record(name, o)
            switch o.value {
            case .string(let s): return [s]
            case .table(let t): return t.arrayValues.compactMap(\.stringValue)
            default:
                notes.append("`\(name)` is not a list of strings; ignored.")
                return nil
            }
        }

        appID = string("app_id")
        if let secret = string("app_secret") { appSecret = Array(secret.utf8) }
        asapKeyServer = string("asap_key_server")
        cacheKeysURL = string("cache_keys_url")
        signatureAlgorithm = string("signature_algorithm")
        allowEmptyToken = bool("allow_empty_token", default: false)
        enableDomainVerification = bool("enable_domain_verification", default: era.defaultDomainVerification)
        acceptedIssuers = array("asap_accepted_issuers")
        acceptedAudiences = array("asap_accepted_audiences") ?? ["*"]
        requireRoomClaim = bool("asap_require_room_claim", default: true)
        mucDomainBase = string("muc_mapper_domain_base")
        mucDomainPrefix = string("muc_mapper_domain_prefix") ?? "conference"
        mucMapperDomain = string("muc_mapper_domain")

        // The conference MUC: main_muc, else conference.<host>, else the mapper's muc domain.
        let mucComponents = configuration.components.filter { $0.componentModule == "muc" }
        var candidates: [String] = []
        if let main = opt("main_muc")?.value.stringValue { candidates.append(main) }
        candidates.append("conference.\(host)")
        if let d = mucDomain { candidates.append(d) }
        candidates.append("\(mucDomainPrefix).\(host)")
        if let found = candidates.first(where: { c in mucComponents.contains { $0.name == c } }) {
            conferenceMUC = found
        } else if mucComponents.count == 1 {
            conferenceMUC = mucComponents[0].name
            notes.append("Using the only MUC component \(mucComponents[0].name) as the conference MUC.")
        }
        if let muc = conferenceMUC, let section = configuration.section(named: muc) {
            // Components load their own modules_enabled (not the global list).
            let enabled = section["modules_enabled"]?.stringList ?? []
            let disabled = Set(configuration.effectiveOption("modules_disabled", in: muc)?.value.stringList ?? [])
            conferenceModules = enabled.filter { !disabled.contains($0) }
            if let v = section["wait_for_host_disable_auto_owners"]?.boolValue
                ?? configuration.global["wait_for_host_disable_auto_owners"]?.boolValue {
                waitForHostDisableAutoOwners = v
            }
            // mod_token_verification reads the options of the MUC's parent host.
            let parent = muc.split(separator: ".", maxSplits: 1).dropFirst().first.map(String.init)
            if let parent, parent != host {
                notes.append("The conference MUC \(muc) reads its token options from \(parent), not \(host).")
            }
        }
    }
}
