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
    /// Count sources, modules and message templates for the summary of `logs`. Findings do not need
    /// them, and templates are the most expensive part of reading a big log.
    public var summary = true
    public var templateLimit = 5000
    public var sourceLimit = 2000
    /// Threads for large regular files (segments read in parallel, results merged in file order).
    public var threads = 1
    /// Files smaller than this are read on one thread; bigger ones in segments of about `segmentSize`.
    public var parallelMinimumSize = 16 << 20
    public var segmentSize = 4 << 20
    public init() {}
}

/// Runs `LogReader` and `FactExtractor` over files, stdin or text and folds the result into a
/// bounded `LogAnalysis`. Every event passes through `handle`, so it allocates nothing for events
/// it has seen the like of: sources and templates are counted in byte-keyed tables and turned into
/// strings once per distinct value.
public final class LogAnalysisBuilder {
    public let options: LogAnalysisOptions
    let signatures: SignatureSet
    private let extractor: FactExtractor
    var analysis = LogAnalysis()
    /// Masked template bytes → index in `analysis.templates`.
    // Summary state: small when there is no summary (a findings-only read, or its segments). Stored
    // constants, not lazy properties: those cost a retain and a release per event.
    let templateTable: ByteKeyTable
    private let templateMemo: HashMemo
    var otherTemplates = 0
    var sequence = 0
    let sourceCounts: SourceCounts
    private let templateBuffer: UnsafeMutablePointer<UInt8>
    static let templateInputLimit = 300
    var firstPacked = PackedLogTime.none
    var lastPacked = PackedLogTime.none

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
        self.signatures = try signatures ?? Self.sharedSignatures()
        extractor = FactExtractor(signatures: self.signatures)
        templateTable = ByteKeyTable(capacity: options.summary ? 1024 : 8)
        templateMemo = HashMemo(bits: options.summary ? 14 : 2)
        sourceCounts = SourceCounts(memoBits: options.summary ? 12 : 2)
        analysis.exampleLimit = options.exampleLimit
        templateBuffer = .allocate(capacity: Self.templateInputLimit * LogTemplates.maxExpansion + 16)
    }

    deinit { templateBuffer.deallocate() }

    /// Reads a file, or standard input for "-". Large regular files are read on `options.threads` threads.
    public func add(path: String) throws {
        let name = path == "-" ? "<stdin>" : path
        if options.threads > 1, try addInParallel(path: path, name: name) { return }
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
        sourceCounts.fold(into: &result, limit: options.sourceLimit)
        result.firstTime = firstPacked.timestamp
        result.lastTime = lastPacked.timestamp
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

    struct FileState {
        var name: String
        var events = 0
        var levels = SmallCounts()
        var formats = SmallCounts()
        var unparsed = 0
        /// The time of the last event that had one (events without a time take it).
        var lastTime = PackedLogTime.none
        init(name: String) { self.name = name }
    }

    func finish(_ s: FileState, _ summary: LogReadSummary) {
        var formats: [LogFormat: Int] = [:]
        for f in LogFormat.allCases where s.formats[f.ordinal] > 0 { formats[f] = s.formats[f.ordinal] }
        analysis.files.append(LogFileSummary(
            name: s.name, bytes: summary.bytes, lines: summary.lines, events: s.events,
            continuationLines: summary.continuationLines, levelCounts: (0..<5).map { s.levels[$0] }, formatCounts: formats,
            unparsedEvents: s.unparsed, issues: summary.issues.map(\.description)))
    }

    func handle(_ ev: RawLogEvent, _ s: inout FileState) {
        let packed = ev.packedTime
        if packed.isNone {
            if options.since != nil || options.until != nil, let t = s.lastTime.timestamp, !keep(t) { analysis.filteredOut += 1; return }
        } else {
            s.lastTime = packed
            if options.since != nil || options.until != nil, let t = packed.timestamp, !keep(t) { analysis.filteredOut += 1; return }
            noteTime(packed)
        }
        s.events += 1
        sequence += 1
        s.levels[ev.levelIndex] += 1
        let format = ev.format
        s.formats[format.ordinal] += 1
        if format == .unparsed { s.unparsed += 1 }
        if options.summary {
            if let bytes = ev.sourceBytes { sourceCounts.count(bytes) }
            countTemplate(ev, file: s.name)
        }
        let fallback = s.lastTime
        extractor.extract(ev) { fact in self.record(fact, file: s.name, time: fallback) }
    }

    private func keep(_ t: LogTimestamp) -> Bool {
        if let since = options.since, LogTimestamp.earlier(t, since) { return false }
        if let until = options.until, LogTimestamp.earlier(until, t) { return false }
        return true
    }

    /// First and last time of the input. Integer comparisons, except when one side has a year and the
    /// other does not (mixed layouts), where the field comparison of `LogTimestamp` decides.
    @inline(__always) func noteTime(_ t: PackedLogTime) {
        // Most events share the second of the one before: nothing to compare.
        if t.fields == lastPacked.fields, t.nanosecond == lastPacked.nanosecond { return }
        if firstPacked.isNone { firstPacked = t; lastPacked = t; return }
        if t.hasYear == firstPacked.hasYear {
            if PackedLogTime.earlier(t, firstPacked) { firstPacked = t }
        } else if LogTimestamp.earlier(t.timestamp!, firstPacked.timestamp!) { firstPacked = t }
        if t.hasYear == lastPacked.hasYear {
            if PackedLogTime.earlier(lastPacked, t) { lastPacked = t }
        } else if LogTimestamp.earlier(lastPacked.timestamp!, t.timestamp!) { lastPacked = t }
    }

    @inline(__always) private func countTemplate(_ ev: RawLogEvent, file: String) {
        let msg = ev.messageBytes
        var end = min(msg.count, Self.templateInputLimit)
        if ev.continuationLines > 0, let nl = memchr(msg.baseAddress!, 10, end) {
            end = UnsafeRawPointer(nl) - msg.baseAddress!
        }
        // The same message text (a third of a debug log repeats a recent line) has the same template.
        let rawHash = hashBytes(msg.baseAddress!, end)
        if let known = templateMemo.get(hash: rawHash, length: end) {
            if known >= 0 { analysis.templates[Int(known)].count += 1 } else { otherTemplates += 1 }
            return
        }
        var w = TemplateWriter(out: templateBuffer)
        if end > 0 { LogTemplates.mask(msg.baseAddress!.assumingMemoryBound(to: UInt8.self), end, into: &w) }
        let h = hashBytes(templateBuffer, w.count)
        if let i = templateTable.find(templateBuffer, w.count, hash: h) {
            analysis.templates[i].count += 1
            templateMemo.set(hash: rawHash, length: end, value: Int32(i))
        } else if templateTable.count < options.templateLimit {
            let i = templateTable.insert(templateBuffer, w.count, hash: h)
            templateMemo.set(hash: rawHash, length: end, value: Int32(i))
            let template = String(decoding: UnsafeRawBufferPointer(start: templateBuffer, count: w.count), as: UTF8.self)
            let message = String(decoding: UnsafeRawBufferPointer(rebasing: msg[0..<end]), as: UTF8.self)
            analysis.templates.append(LogTemplate(template: LogRedaction.redact(template), count: 1, level: ev.level,
                                                  example: example(ev, file: file, message: message)))
        } else {
            otherTemplates += 1
            templateMemo.set(hash: rawHash, length: end, value: -1)
        }
    }

    private func example(_ ev: RawLogEvent, file: String, message: String) -> LogExample {
        LogExample(file: file, line: ev.firstLine, time: ev.time, level: ev.level, source: ev.sourceString,
                   message: LogRedaction.redact(message), order: sequence)
    }

    private func record(_ fact: LogFact, file: String, time: PackedLogTime) {
        let factTime = fact.time ?? time.timestamp
        // The example line is built only for the first occurrences a group keeps, and once per fact.
        var example: LogExample? = nil
        let order = sequence
        add(fact.fact, key: Self.key(for: fact), fact: fact, time: factTime, file: file, order: order, example: &example)
        // Derived facts: who joined a MUC without a token.
        if fact.fact == "token-verify-attempt", let user = fact.captures["user"] {
            let bare = Self.bare(user)
            let isFocus = bare.hasPrefix("focus@")
            if let token = fact.captures["session_token"] {
                if token == "nil" {
                    add(isFocus ? "focus-token-nil" : "participant-token-nil", key: bare, fact: fact, time: factTime,
                        file: file, order: order, example: &example)
                } else {
                    add("participant-token-present", key: bare, fact: fact, time: factTime, file: file, order: order,
                        example: &example)
                }
            }
        }
        if fact.fact == "prosody-version", let v = fact.captures["version"], !analysis.prosodyVersions.contains(v) {
            analysis.prosodyVersions.append(v)
        }
    }

    private func add(_ name: String, key: String, fact: LogFact, time: LogTimestamp?, file: String, order: Int,
                     example: inout LogExample?) {
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
            if let t = time {
                if g.firstTime.map({ LogTimestamp.earlier(t, $0) }) ?? true { g.firstTime = t }
                if g.lastTime.map({ LogTimestamp.earlier($0, t) }) ?? true { g.lastTime = t }
            }
            if g.examples.count < limit {
                if example == nil {
                    example = LogExample(file: file, line: fact.line, time: time, level: fact.level, source: fact.source,
                                         message: LogRedaction.redact(fact.message), order: order)
                }
                g.examples.append(example!)
            }
        }
    }

    @inline(__always) private func update<T>(_ value: inout T, _ body: (inout T) -> Void) { body(&value) }

    /// Without surrounding spaces and tabs (no Foundation: runs per fact).
    static func trimmed(_ s: String) -> String {
        let u = s.utf8
        guard let first = u.first, let last = u.last, first == 32 || first == 9 || last == 32 || last == 9 else { return s }
        let start = u.firstIndex { $0 != 32 && $0 != 9 } ?? u.endIndex
        guard start != u.endIndex else { return "" }
        let end = u.lastIndex { $0 != 32 && $0 != 9 }!
        return String(s[start...end])
    }

    static func bare(_ jid: String) -> String {
        guard let slash = jid.utf8.firstIndex(of: 47) else { return jid }
        return String(jid[..<slash])
    }

    /// What distinguishes occurrences of a fact (one finding or one line of a finding per key).
    static func key(for f: LogFact) -> String {
        let c = f.captures
        // Up to four names, without a variadic array per call (this runs per fact).
        func first(_ a: String, _ b: String? = nil, _ c3: String? = nil, _ d: String? = nil) -> String {
            func pick(_ n: String?) -> String? {
                guard let n, let v = c[n].map(trimmed), !v.isEmpty, v != "nil" else { return nil }
                return v
            }
            return pick(a) ?? pick(b) ?? pick(c3) ?? pick(d) ?? ""
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

/// Eight counters in place (an array would be checked for uniqueness on every increment).
struct SmallCounts {
    private var storage: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
    subscript(_ i: Int) -> Int {
        @inline(__always) get {
            precondition(i >= 0 && i < 8)
            return withUnsafeBytes(of: storage) { $0.load(fromByteOffset: i * 8, as: Int.self) }
        }
        @inline(__always) set {
            precondition(i >= 0 && i < 8)
            withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: newValue, toByteOffset: i * 8, as: Int.self) }
        }
    }
}
