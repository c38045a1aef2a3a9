import Foundation
import ProsodyConfig

public enum TokenOutputFormat: String, Sendable, CaseIterable {
    case text, json
}

/// Everything `prosody-doctor token` is given on the command line.
public struct TokenCheckRequest: Sendable {
    /// The JWT, `-` for stdin, or with `fromLog` a log line, a log file or `-`.
    public var input: String
    public var fromLog = false
    public var configPath: String?
    public var host: String?
    public var room: String?
    public var secretFile: String?
    /// A PEM file, or the PEM text itself.
    public var publicKey: String?
    public var now: String?
    public var format: TokenOutputFormat = .text
    /// Which jitsi-meet version's rules and reason strings apply.
    public var era: JitsiEra = .current
    // Overrides of the config model (or the settings when there is no config).
    public var appID: String?
    public var signatureAlgorithm: String?
    public var acceptedIssuers: [String] = []
    public var acceptedAudiences: [String] = []
    public var allowEmptyToken: Bool?
    public var enableDomainVerification: Bool?
    public var requireRoomClaim: Bool?
    public var conferenceModules: [String] = []
    public var jicofoAuthentication: Bool?

    public init(input: String) { self.input = input }
}

/// What the process should do: exit status and the text for stdout / stderr.
public struct TokenCheckOutput: Sendable {
    public var exitCode: Int32
    public var stdout: String
    public var stderr: String
}

/// The outside world, injectable for tests.
public struct TokenCheckEnvironment: Sendable {
    public var readFile: @Sendable (String) -> [UInt8]?
    public var readStdin: @Sendable () -> [UInt8]
    /// nil when the file cannot be read.
    public var loadConfiguration: @Sendable (String) -> ProsodyConfiguration?
    public var currentTime: @Sendable () -> Double

    public init(readFile: @escaping @Sendable (String) -> [UInt8]?, readStdin: @escaping @Sendable () -> [UInt8],
                loadConfiguration: @escaping @Sendable (String) -> ProsodyConfiguration?,
                currentTime: @escaping @Sendable () -> Double) {
        self.readFile = readFile
        self.readStdin = readStdin
        self.loadConfiguration = loadConfiguration
        self.currentTime = currentTime
    }

    public static let live = TokenCheckEnvironment(
        readFile: { path in
            guard FileManager.default.isReadableFile(atPath: path),
                  let data = FileManager.default.contents(atPath: path) else { return nil }
            return [UInt8](data)
        },
        readStdin: { [UInt8](FileHandle.standardInput.readDataToEndOfFile()) },
        loadConfiguration: { path in
            guard FileManager.default.isReadableFile(atPath: path) else { return nil }
            let model = ConfigLoader().load(path: path).configuration
            if model.problems.contains(where: {
                if case .unreadableFile(let p) = $0.kind { return p == path }
                return false
            }) { return nil }
            return model
        },
        currentTime: { Date().timeIntervalSince1970 }
    )
}

/// One checked token with its context, as reported.
public struct TokenReport: Sendable {
    public var verdict: TokenVerdict
    public var decoded: DecodedToken?
    public var settings: TokenSettings
    public var room: RoomTarget?
    public var now: Double
    /// Where it came from when read from a log.
    public var logEntry: LogToken?
}

/// The logic of `prosody-doctor token`: the CLI command only parses flags and prints.
public enum TokenCheckRunner {
    public static func run(_ request: TokenCheckRequest, environment: TokenCheckEnvironment = .live) -> TokenCheckOutput {
        func usage(_ message: String) -> TokenCheckOutput { TokenCheckOutput(exitCode: 2, stdout: "", stderr: "error: \(message)\n") }
        func unreadable(_ message: String) -> TokenCheckOutput { TokenCheckOutput(exitCode: 3, stdout: "", stderr: "error: \(message)\n") }

        if request.secretFile != nil && request.publicKey != nil {
            return usage("--secret-file and --public-key are exclusive")
        }
        let now: Double
        if let text = request.now {
            guard let t = UTCTime.parse(text) else {
                return usage("--now \(text): expected seconds since the epoch or an ISO 8601 time like 2026-11-29T10:00:00Z")
            }
            now = t
        } else {
            now = environment.currentTime()
        }

        // The input: tokens to check.
        var entries: [(token: String?, entry: LogToken?)] = []
        var logShowsEmptyTokens = false
        if request.fromLog {
            let text: String
            if request.input == "-" {
                text = String(decoding: environment.readStdin(), as: UTF8.self)
            } else if !request.input.contains("\n"), !request.input.contains("Session token:"),
                      !request.input.contains("eyJ"), let bytes = environment.readFile(request.input) {
                text = String(decoding: bytes, as: UTF8.self)
            } else if !request.input.contains(" "), !request.input.contains("eyJ") {
                return unreadable("cannot read log file \(request.input)")
            } else {
                text = request.input
            }
            logShowsEmptyTokens = LogTokenExtractor.showsEmptyTokensAllowed(text)
            let found = LogTokenExtractor.extract(from: text)
            guard !found.isEmpty else {
                return usage("no token-bearing line found (expected lines like `Session token: <jwt>, session room: <room>`)")
            }
            entries = found.map { ($0.token, $0) }
        } else {
            let raw = request.input == "-" ? String(decoding: environment.readStdin(), as: UTF8.self) : request.input
            let token = raw.trimmingSpaces
            guard !token.isEmpty else { return usage("no token given") }
            entries = [(token, nil)]
        }

        // The configuration and host.
        var configuration: ProsodyConfiguration?
        if let path = request.configPath {
            guard let model = environment.loadConfiguration(path) else { return unreadable("cannot read config \(path)") }
            configuration = model
        }
        var host = request.host
        if host == nil, let sourceHost = entries.compactMap({ $0.entry?.sourceHost }).first {
            // A MUC source (conference.D:token_verification) reads the options of its parent host.
            if let configuration, configuration.section(named: sourceHost)?.isVirtualHost == true {
                host = sourceHost
            } else if sourceHost.contains(".") && (configuration?.section(named: sourceHost)?.componentModule != nil
                                                    || entries.first?.entry?.source?.hasSuffix(":token_verification") == true) {
                host = String(sourceHost.split(separator: ".", maxSplits: 1)[1])
            } else {
                host = sourceHost
            }
        }
        if host == nil, let configuration {
            do { host = try TokenSettings.tokenHost(in: configuration) } catch {
                if case .ambiguousHost(let hosts) = error {
                    return usage("several VirtualHosts use authentication = \"token\" (\(hosts.joined(separator: ", "))): choose one with --host")
                }
            }
            if host == nil {
                return usage("no VirtualHost uses authentication = \"token\": Prosody never verifies tokens with this configuration (a token in the URL is ignored). Give --host to check against a host's settings anyway.")
            }
        }
        var settings = TokenSettings()
        if let configuration, let host {
            settings = TokenSettings(configuration: configuration, host: host, era: request.era)
        } else {
            settings.host = host
            settings.era = request.era
            settings.enableDomainVerification = request.era.defaultDomainVerification
            if configuration != nil { settings.notes.append("No VirtualHost with authentication = \"token\": only flags and defaults apply.") }
        }

        // Flags override the model.
        if let f = request.secretFile {
            guard var bytes = environment.readFile(f) else { return unreadable("cannot read secret file \(f)") }
            if bytes.last == UInt8(ascii: "\n") { bytes.removeLast(); if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() } }
            settings.appSecret = bytes
            settings.provenance["app_secret"] = "--secret-file"
            if settings.usesKeyServer {
                settings.asapKeyServer = nil
                settings.cacheKeysURL = nil
                settings.notes.append("--secret-file given: the key server of the config is ignored (app_secret deployment).")
            }
        }
        if let k = request.publicKey {
            if k.contains("-----BEGIN") { settings.publicKeyPEM = k }
            else {
                guard let bytes = environment.readFile(k) else { return unreadable("cannot read public key file \(k)") }
                settings.publicKeyPEM = String(decoding: bytes, as: UTF8.self)
            }
            settings.provenance["public_key"] = "--public-key"
            // A public key stands for the key server's answer.
            if !settings.usesKeyServer { settings.asapKeyServer = TokenSettings.publicKeyPlaceholder
                settings.notes.append("--public-key without a key server in the config: checked as an asap_key_server deployment (RS256, kid required).") }
        }
        if configuration == nil, let host = settings.host {
            // Flags only: assume the standard layout around --host.
            if settings.mucDomainBase == nil { settings.mucDomainBase = host; settings.provenance["muc_mapper_domain_base"] = "assumed (--host)" }
            if settings.conferenceMUC == nil { settings.conferenceMUC = "\(settings.mucDomainPrefix).\(host)"; settings.provenance["conference_muc"] = "assumed (--host)" }
        }
        if let v = request.appID { settings.appID = v; settings.provenance["app_id"] = "--app-id" }
        if let v = request.signatureAlgorithm { settings.signatureAlgorithm = v; settings.provenance["signature_algorithm"] = "--algorithm" }
        if !request.acceptedIssuers.isEmpty { settings.acceptedIssuers = request.acceptedIssuers }
        if !request.acceptedAudiences.isEmpty { settings.acceptedAudiences = request.acceptedAudiences }
        if let v = request.allowEmptyToken { settings.allowEmptyToken = v }
        else if configuration == nil && logShowsEmptyTokens {
            settings.allowEmptyToken = true
            settings.notes.append("allow_empty_token taken as true: the log shows `empty tokens allowed`.")
        }
        if let v = request.enableDomainVerification { settings.enableDomainVerification = v }
        if let v = request.requireRoomClaim { settings.requireRoomClaim = v }
        if !request.conferenceModules.isEmpty { settings.conferenceModules = request.conferenceModules }
        if let v = request.jicofoAuthentication { settings.jicofoAuthentication = v }
        if configuration == nil && settings.appID == nil {
            // Without a config, the issuer check would be meaningless: take the token's iss as app_id.
            if let t = entries.first?.token, let iss = DecodedToken(t).payload?["iss"]?.stringValue {
                settings.appID = iss
                settings.provenance["app_id"] = "assumed"
                settings.notes.append("No --config and no --app-id: app_id assumed to be the token's iss \"\(iss)\".")
            }
        }
        if configuration == nil && settings.appID == nil {
            // Unknown app_id and no string iss: the issuer check can only fail on a non-string iss
            // (or pass with asap_accepted_issuers "*"), whatever app_id is.
            settings.appID = ""
            settings.notes.append("app_id unknown (no --config, no --app-id).")
        }
        if configuration == nil && settings.appSecret == nil && !settings.usesKeyServer {
            return usage("no verification key: give --config, --secret-file or --public-key")
        }

        // Check.
        let verifier = TokenVerifier(settings: settings, now: now)
        let defaultMUC = settings.mucDomain ?? settings.conferenceMUC ?? settings.host.map { "conference.\($0)" }
        var reports: [TokenReport] = []
        var seen = Set<String>()
        for (token, entry) in entries {
            let key = (token ?? "nil") + "|" + (entry?.roomJID ?? "") + "|" + (entry?.user ?? "")
            if entry != nil, !seen.insert(key).inserted { continue }
            let roomText = request.room ?? entry?.roomJID
            let room = roomText.map { RoomTarget(parsing: $0, defaultMUC: defaultMUC) }
            let decoded = token.map(DecodedToken.init)
            var verdict = verifier.verify(decoded: decoded, room: room, signatureMayBeStripped: entry != nil)
            if token == nil, let user = entry?.user, let host = settings.host,
               let domain = user.split(separator: "@").last?.split(separator: "/").first, domain != host {
                verdict.notes.append("The occupant \(user) authenticated on \(domain), not on the token host \(host): no token is expected from that session (a guest domain, or jicofo/jibri/jigasi).")
            }
            reports.append(TokenReport(verdict: verdict, decoded: decoded, settings: settings,
                                       room: room, now: verifier.now, logEntry: entry))
        }
        let exit: Int32 = reports.allSatisfy { $0.verdict.accepted } ? 0 : 1
        let rendered: String
        switch request.format {
        case .text: rendered = reports.map(TokenReportRenderer.text).joined(separator: "\n")
        case .json:
            let value: TokenJSON = request.fromLog
                ? .object([("verdict", .string(exit == 0 ? "accepted"
                                : reports.contains { $0.verdict.status == .rejected } ? "rejected" : "undetermined")),
                           ("exit_code", .number(Double(exit))),
                           ("tokens", .array(reports.map(TokenReportRenderer.json)))])
                : TokenReportRenderer.json(reports[0])
            rendered = TokenJSON.serialize(value, pretty: true) + "\n"
        }
        return TokenCheckOutput(exitCode: exit, stdout: Redactor(settings: settings, tokens: reports.compactMap(\.decoded)).redact(rendered), stderr: "")
    }
}

/// Last line of defence: removes the secret and raw signatures from any output.
struct Redactor {
    var secrets: [String] = []

    init(settings: TokenSettings, tokens: [DecodedToken]) {
        if let s = settings.appSecret, s.count >= 4 { secrets.append(String(decoding: s, as: UTF8.self)) }
        for t in tokens {
            let segs = t.segments
            if segs.count >= 3, segs[2].count >= 8 { secrets.append(String(segs[2])) }
        }
    }

    func redact(_ text: String) -> String {
        var out = text
        for s in secrets where out.contains(s) { out = out.replacingOccurrences(of: s, with: Masking.mask) }
        return out
    }
}

extension TokenVerifier {
    /// For the log analyzer: every token-bearing line of `logText` (research §1e/§1g) checked with
    /// these settings. The room joined, when the log shows it, is checked too.
    public func check(logText: String) -> [(entry: LogToken, verdict: TokenVerdict)] {
        let defaultMUC = settings.mucDomain ?? settings.conferenceMUC
        return LogTokenExtractor.extract(from: logText).map { entry in
            let room = entry.roomJID.map { RoomTarget(parsing: $0, defaultMUC: defaultMUC) }
            return (entry, verify(token: entry.token, room: room, signatureMayBeStripped: true))
        }
    }
}
