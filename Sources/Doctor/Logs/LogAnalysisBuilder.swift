import Foundation
import ProsodyLog

public struct LogAnalysisError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// Options for building a `LogAnalysis`.
public struct LogAnalysisOptions: Sendable {
    public var reader = LogReaderOptions()
    /// Keep events at or after / at or before these times (inclusive). Events without a time take the
    /// time of the event before them.
    public var since: LogTimestamp?
    public var until: LogTimestamp?
    /// Example lines kept per fact group.
    public var exampleLimit = 5
    /// Distinct keys kept per fact before further keys are folded into "(other)".
    public var keyLimit = 200
    /// Cluster message templates for the summary (costs a little per event).
    public var templates = true
    public var templateLimit = 5000
    public var sourceLimit = 2000
    public init() {}
}

/// Runs `LogReader` and `FactExtractor` over files, stdin or text and folds the result into a
/// bounded `LogAnalysis`.
public final class LogAnalysisBuilder {
    public let options: LogAnalysisOptions
    private let extractor: FactExtractor
    private var analysis = LogAnalysis()
    private var templateIndex: [[UInt8]: Int] = [:]
    private var otherTemplates = 0
    private var sequence = 0

    /// The built-in signatures (`rules/log-signatures.yml` embedded in the binary).
    public static func embeddedSignatures() throws -> SignatureSet {
        guard let text = RuleCatalogue.embeddedFile(named: "log-signatures.yml") else {
            throw LogAnalysisError(message: "this build has no embedded rules/log-signatures.yml")
        }
        return try SignatureSet(yaml: text)
    }

    nonisolated(unsafe) private static var cachedSignatures: SignatureSet?
    private static let lock = NSLock()
    static func sharedSignatures() throws -> SignatureSet {
        lock.lock(); defer { lock.unlock() }
        if let s = cachedSignatures { return s }
        let s = try embeddedSignatures()
        cachedSignatures = s
        return s
    }

    public init(options: LogAnalysisOptions = LogAnalysisOptions(), signatures: SignatureSet? = nil) throws {
        self.options = options
        extractor = FactExtractor(signatures: try signatures ?? Self.sharedSignatures())
        analysis.exampleLimit = options.exampleLimit
    }

    /// Reads a file, or standard input for "-".
    public func add(path: String) throws {
        let name = path == "-" ? "<stdin>" : path
        var state = FileState(name: name)
        let summary = try LogReader(options: options.reader).read(path: path) { ev in self.handle(ev, &state) }
        finish(state, summary)
    }

    /// Reads text held in memory (examples, tests, pasted logs).
    public func add(text: String, name: String) {
        var state = FileState(name: name)
        var copy = text
        let summary = copy.withUTF8 { buf in
            try? LogReader(options: options.reader).read(bytes: UnsafeRawBufferPointer(buf), name: name) { ev in
                self.handle(ev, &state)
            }
        }
        finish(state, summary ?? LogReadSummary(name: name))
    }

    public func build() -> LogAnalysis {
        var result = analysis
        result.templates.sort { $0.count != $1.count ? $0.count > $1.count : $0.example.line < $1.example.line }
        if otherTemplates > 0, let any = result.templates.first {
            result.templates.append(LogTemplate(template: "(other templates)", count: otherTemplates, level: nil, example: any.example))
        }
        return result
    }

    /// Convenience: one text.
    public static func analyse(text: String, name: String, options: LogAnalysisOptions = LogAnalysisOptions()) throws -> LogAnalysis {
        let b = try LogAnalysisBuilder(options: options)
        b.add(text: text, name: name)
        return b.build()
    }

    // MARK: - per event

    private struct FileState {
        var name: String
        var events = 0
        var levels = [0, 0, 0, 0, 0]
        var formats: [LogFormat: Int] = [:]
        var unparsed = 0
        var lastTime: LogTimestamp?
        init(name: String) { self.name = name }
    }

    private func finish(_ s: FileState, _ summary: LogReadSummary) {
        analysis.files.append(LogFileSummary(
            name: s.name, bytes: summary.bytes, lines: summary.lines, events: s.events,
            continuationLines: summary.continuationLines, levelCounts: s.levels, formatCounts: s.formats,
            unparsedEvents: s.unparsed, issues: summary.issues.map(\.description)))
    }

    private var sourceCache: [SourceKey: (folded: String, module: String?)] = [:]

    private func handle(_ ev: RawLogEvent, _ s: inout FileState) {
        var time = ev.time
        if time == nil { time = s.lastTime } else { s.lastTime = time }
        if let t = time {
            if let since = options.since, LogTimestamp.earlier(t, since) { analysis.filteredOut += 1; return }
            if let until = options.until, LogTimestamp.earlier(until, t) { analysis.filteredOut += 1; return }
        }
        s.events += 1
        sequence += 1
        s.levels[ev.level?.rawValue ?? 4] += 1
        s.formats[ev.format, default: 0] += 1
        if ev.format == .unparsed { s.unparsed += 1 }
        if let t = ev.time {
            if analysis.firstTime.map({ LogTimestamp.earlier(t, $0) }) ?? true { analysis.firstTime = t }
            if analysis.lastTime.map({ LogTimestamp.earlier($0, t) }) ?? true { analysis.lastTime = t }
        }
        if let bytes = ev.sourceBytes {
            // Sources repeat: parse each distinct one once (keyed by its bytes).
            let entry: (folded: String, module: String?)
            if let cached = sourceCache[SourceKey(bytes)] {
                entry = cached
            } else {
                let sourceText = String(decoding: bytes, as: UTF8.self)
                let src = LogSource(sourceText)
                entry = (src.session.map { $0.kind.rawValue + "*" } ?? sourceText, src.module)
                if sourceCache.count < 100_000 { sourceCache[SourceKey(bytes)] = entry }
            }
            let folded = entry.folded
            if analysis.sources[folded] != nil || analysis.sources.count < options.sourceLimit {
                analysis.sources[folded, default: 0] += 1
            } else {
                analysis.sources["(other)", default: 0] += 1
            }
            if let m = entry.module, analysis.modules[m] != nil || analysis.modules.count < options.sourceLimit {
                analysis.modules[m, default: 0] += 1
            }
        }
        if options.templates {
            let msg = ev.messageBytes
            let end = min(msg.firstIndex(of: 10) ?? msg.count, 300)
            let templateBytes = LogTemplates.maskBytes(UnsafeRawBufferPointer(rebasing: msg[0..<end]))
            if let i = templateIndex[templateBytes] {
                analysis.templates[i].count += 1
            } else if templateIndex.count < options.templateLimit {
                templateIndex[templateBytes] = analysis.templates.count
                let template = String(decoding: templateBytes, as: UTF8.self)
                analysis.templates.append(LogTemplate(template: LogRedaction.redact(template), count: 1, level: ev.level,
                                                      example: example(ev, file: s.name, message: String(decoding: UnsafeRawBufferPointer(rebasing: msg[0..<end]), as: UTF8.self))))
            } else {
                otherTemplates += 1
            }
        }
        let fallback = time
        extractor.extract(ev) { fact in self.record(fact, file: s.name, time: fallback) }
    }

    private func example(_ ev: RawLogEvent, file: String, message: String) -> LogExample {
        LogExample(file: file, line: ev.firstLine, time: ev.time, level: ev.level, source: ev.sourceString,
                   message: LogRedaction.redact(message), order: sequence)
    }

    private func record(_ fact: LogFact, file: String, time: LogTimestamp?) {
        var fact = fact
        if fact.time == nil { fact.time = time }
        let ex = LogExample(file: file, line: fact.line, time: fact.time, level: fact.level, source: fact.source,
                            message: LogRedaction.redact(fact.message), order: sequence)
        add(fact.fact, key: Self.key(for: fact), fact: fact, example: ex)
        // Derived facts: who joined a MUC without a token.
        if fact.fact == "token-verify-attempt", let user = fact.captures["user"] {
            let bare = Self.bare(user)
            let isFocus = bare.hasPrefix("focus@")
            if let token = fact.captures["session_token"] {
                if token == "nil" {
                    add(isFocus ? "focus-token-nil" : "participant-token-nil", key: bare, fact: fact, example: ex)
                } else {
                    add("participant-token-present", key: bare, fact: fact, example: ex)
                }
            }
        }
        if fact.fact == "prosody-version", let v = fact.captures["version"], !analysis.prosodyVersions.contains(v) {
            analysis.prosodyVersions.append(v)
        }
    }

    private func add(_ name: String, key: String, fact: LogFact, example: LogExample) {
        // Mutate the nested dictionaries in place (a copy of either per fact was the hot spot).
        var k = key
        if analysis.groups[name, default: [:]][k] == nil, analysis.groups[name, default: [:]].count >= options.keyLimit {
            k = "(other)"
        }
        let limit = options.exampleLimit
        update(&analysis.groups[name, default: [:]][k, default: LogFactGroup(fact: name, key: k)]) { g in
            if g.count == 0 { g.captures = fact.captures }
            g.count += 1
            g.signatureIDs.insert(fact.signatureID)
            if let t = fact.time {
                if g.firstTime.map({ LogTimestamp.earlier(t, $0) }) ?? true { g.firstTime = t }
                if g.lastTime.map({ LogTimestamp.earlier($0, t) }) ?? true { g.lastTime = t }
            }
            if g.examples.count < limit { g.examples.append(example) }
        }
    }

    @inline(__always) private func update<T>(_ value: inout T, _ body: (inout T) -> Void) { body(&value) }

    static func bare(_ jid: String) -> String {
        jid.split(separator: "/", maxSplits: 1).first.map(String.init) ?? jid
    }

    /// What distinguishes occurrences of a fact (one finding or one line of a finding per key).
    static func key(for f: LogFact) -> String {
        let c = f.captures
        func first(_ names: String...) -> String {
            for n in names { if let v = c[n]?.trimmingCharacters(in: .whitespaces), !v.isEmpty, v != "nil" { return v } }
            return ""
        }
        switch f.fact {
        case "token-verify-attempt", "focus-token-verified", "token-admin-skip", "token-room-allowed":
            return bare(first("user"))
        case "authenticated": return bare(first("user"))
        case "token-verification-failed": return first("reason", "err")
        case "token-join-denied": return first("reason", "err")
        case "module-load-failed", "module-init-failed": return first("module")
        case "lua-library-missing": return first("library")
        case "authentication-failed": return first("user") + " from " + first("ip")
        case "s2s-outgoing-failed", "s2s-tls-failed": return first("domain")
        case "s2s-stream-closed-error":
            return (c["direction"] == "Incoming" ? first("from") : first("to"))
        case "component-not-connected", "component-auth-failed": return first("component")
        case "certificate-load-failed": return first("file")
        case "certificate-missing": return first("host")
        case "tls-init-failed": return first("service", "port_service", "error")
        case "tls-handshake-failed": return first("error")
        case "key-server-failed": return first("url", "from_url", "code", "cache_code")
        case "config-load-failed": return first("file")
        case "storage-error": return first("driver", "store", "write_store", "error")
        case "prosody-version": return first("version")
        case "lua-traceback": return LogTemplates.mask(first("error"))
        case "config-warning", "duplicate-option": return first("file") + ":" + first("line")
        case "config-option-type": return first("option")
        case "option-no-effect-for-vhost": return first("host") + " " + first("option")
        case "token-app-id-empty", "token-secret-missing", "allow-empty-token", "empty-token-join", "affiliation-no-token",
             "token-config-missing", "token-verifier-inactive":
            return f.source.map { LogSource($0).host ?? $0 } ?? ""
        default: return ""
        }
    }
}

/// Secrets that Jitsi's debug lines print: JWT signatures and the app secret of the token verifier.
public enum LogRedaction {
    static let jwt = try! NSRegularExpression(pattern: #"(eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.)[A-Za-z0-9_-]+"#)
    static let secret = try! NSRegularExpression(pattern: #"(app_secret:? ?)\S+"#)

    /// Cited lines keep the token's header and payload (useful to diagnose) but not its signature.
    public static func redact(_ text: String) -> String {
        guard text.contains("eyJ") || text.contains("app_secret") else { return text }
        var out = text
        let r1 = NSRange(out.startIndex..., in: out)
        out = jwt.stringByReplacingMatches(in: out, range: r1, withTemplate: "$1<signature redacted>")
        let r2 = NSRange(out.startIndex..., in: out)
        out = secret.stringByReplacingMatches(in: out, range: r2, withTemplate: "$1<redacted>")
        return out
    }
}

/// lnav-style message templates: variable parts masked.
public enum LogTemplates {
    static let ellipsis: [UInt8] = Array("…".utf8)
    static let jid: [UInt8] = Array("<jid>".utf8)
    static let star: [UInt8] = Array("<*>".utf8)

    public static func mask(_ s: String) -> String {
        var copy = s
        return copy.withUTF8 { mask(UnsafeRawBufferPointer($0)) }
    }

    /// Quoted strings become `'…'`, words with a digit `<*>`, JIDs/emails `<jid>`; the rest is kept.
    public static func mask(_ b: UnsafeRawBufferPointer) -> String {
        String(decoding: maskBytes(b), as: UTF8.self)
    }

    /// The template as bytes: the per-event path hashes these, not a String.
    static func maskBytes(_ b: UnsafeRawBufferPointer) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = 0
        let n = b.count
        func isDelim(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 44 || c == 59 || c == 40 || c == 41 || c == 91 || c == 93 || c == 60 || c == 62 }
        while i < n {
            let c = b[i]
            if (c == 39 || c == 34), i == 0 || { let p = b[i - 1]; return p == 32 || p == 61 || p == 40 || p == 58 || p == 91 }() {
                var j = i + 1
                while j < n, b[j] != c { j += 1 }
                if j < n {
                    out.append(c); out.append(contentsOf: Self.ellipsis); out.append(c)
                    i = j + 1
                    continue
                }
            }
            if isDelim(c) { out.append(c); i += 1; continue }
            var j = i
            var digit = false, at = false, eq = -1
            while j < n, !isDelim(b[j]) {
                if b[j] >= 48 && b[j] <= 57 { digit = true }
                if b[j] == 64 { at = true }
                if b[j] == 61, eq < 0 { eq = j }
                if (b[j] == 39 || b[j] == 34) && j > i && b[j - 1] == 61 { break }
                j += 1
            }
            if eq >= 0 && j > eq + 1 && (digit || at) {
                // key=value: keep the key
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[i...eq]))
                out.append(contentsOf: at ? Self.jid : Self.star)
            } else if at {
                out.append(contentsOf: Self.jid)
            } else if digit {
                // keep a trailing colon or period
                out.append(contentsOf: Self.star)
                if j > i, b[j - 1] == 58 || b[j - 1] == 46 { out.append(b[j - 1]) }
            } else {
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[i..<j]))
            }
            i = max(j, i + 1)
        }
        return out
    }
}

/// A log source column's bytes as a dictionary key (no String decoding per event).
struct SourceKey: Hashable {
    let bytes: [UInt8]
    init(_ buffer: UnsafeRawBufferPointer) { bytes = Array(buffer) }
}
