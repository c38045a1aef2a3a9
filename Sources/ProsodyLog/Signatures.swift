import Foundation
import PCRE2
import Yams

/// One signature of `rules/log-signatures.yml` (see the comment at the top of that file).
public struct LogSignature: Sendable {
    public let id: String
    public let fact: String
    public let description: String?
    /// Levels the event must have (empty: any). Events without a level are never excluded.
    public let levels: Set<LogLevel>
    /// Module the source must name (`host:module` or `mod_module`). Events without a source are never excluded.
    public let module: String?
    /// Source column glob: exact, `prefix*`, `*suffix` or `*infix*`.
    public let source: String?
    /// Literal the message must start with.
    public let prefix: String?
    /// Literal that must occur in the message (memmem) before the regex runs.
    public let prefilter: String?
    public let pattern: PCRE2Pattern
    /// Constant values added to the captures.
    public let set: [String: String]
    /// When set, this fact's captures are also handed, renamed `<carry>_<name>`, to the next fact from the
    /// same source within `FactExtractor.carryWindow` lines (e.g. `Session token: nil` → the following
    /// `Will verify token for user: U, room: R` gets `session_token=nil`).
    public let carry: String?
    /// `scope: pasted`: console output or pasted prose, never the message of a log record. Checked only on
    /// events without a level and on events with continuation lines, so it costs nothing per log record.
    public let pastedOnly: Bool

    let prefixBytes: [UInt8]
    let prefilterBytes: [UInt8]
    let moduleBytes: [UInt8]
    let sourceGlob: (kind: Int, bytes: [UInt8])?  // 0 exact, 1 prefix*, 2 *suffix, 3 *infix*
}

public struct SignatureError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// The compiled signature catalogue.
public final class SignatureSet: Sendable {
    public let signatures: [LogSignature]
    /// Built once; shared by the extractors of every thread.
    let dispatchTables: SignatureDispatchTables

    /// Modules whose lines hand captures to a later line (`carry`): a parallel read keeps such a line and
    /// the lines after it in one segment.
    public var carrierModules: [String] { Array(Set(signatures.filter { $0.carry != nil }.compactMap(\.module))).sorted() }

    private struct Entry: Decodable {
        var id: String
        var fact: String
        var description: String?
        var level: LevelSpec?
        var module: String?
        var source: String?
        var prefix: String?
        var prefilter: String?
        var pattern: String
        var set: [String: String]?
        var carry: String?
        var scope: String?
    }

    private enum LevelSpec: Decodable {
        case one(String), many([String])
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let s = try? c.decode(String.self) { self = .one(s) } else { self = .many(try c.decode([String].self)) }
        }
        var names: [String] { switch self { case .one(let s): [s]; case .many(let l): l } }
    }

    /// Parses and compiles the YAML catalogue. Errors name the signature and the pattern offset.
    public init(yaml: String) throws {
        let entries: [Entry]
        do {
            entries = try YAMLDecoder().decode([Entry].self, from: yaml)
        } catch {
            throw SignatureError(message: "log signatures: invalid YAML: \(error)")
        }
        var seen = Set<String>()
        var out: [LogSignature] = []
        for e in entries {
            guard seen.insert(e.id).inserted else { throw SignatureError(message: "log signatures: duplicate id \(e.id)") }
            var levels = Set<LogLevel>()
            for name in e.level?.names ?? [] {
                guard let l = LogLevel(name: name) else {
                    throw SignatureError(message: "log signature \(e.id): unknown level '\(name)'")
                }
                levels.insert(l)
            }
            let pattern: PCRE2Pattern
            do { pattern = try PCRE2Pattern(compiling: e.pattern) } catch let err as PCRE2Error {
                throw SignatureError(message: "log signature \(e.id): \(err)")
            }
            if let p = e.prefix, !e.pattern.hasPrefix("^") {
                _ = p  // a prefix with an unanchored pattern is allowed; the prefix is only a filter
            }
            if let scope = e.scope, scope != "pasted" {
                throw SignatureError(message: "log signature \(e.id): unknown scope '\(scope)' (the only scope is 'pasted')")
            }
            var glob: (Int, [UInt8])? = nil
            if var s = e.source {
                var kind = 0
                let lead = s.hasPrefix("*"), trail = s.hasSuffix("*") && s.count > 1
                if lead { s.removeFirst() }
                if trail { s.removeLast() }
                kind = lead && trail ? 3 : lead ? 2 : trail ? 1 : 0
                glob = (kind, Array(s.utf8))
            }
            out.append(LogSignature(id: e.id, fact: e.fact, description: e.description, levels: levels,
                                    module: e.module, source: e.source, prefix: e.prefix, prefilter: e.prefilter,
                                    pattern: pattern, set: e.set ?? [:], carry: e.carry, pastedOnly: e.scope == "pasted",
                                    prefixBytes: Array((e.prefix ?? "").utf8),
                                    prefilterBytes: Array((e.prefilter ?? "").utf8),
                                    moduleBytes: Array((e.module ?? "").utf8),
                                    sourceGlob: glob.map { (kind: $0.0, bytes: $0.1) }))
        }
        signatures = out
        dispatchTables = SignatureDispatchTables(signatures: out)
    }

    /// Loads a file (tests, `--signatures FILE`).
    public convenience init(contentsOfFile path: String) throws {
        try self.init(yaml: try String(contentsOfFile: path, encoding: .utf8))
    }
}

/// A fact produced by a signature on one event.
public struct LogFact: Sendable, Hashable, Codable {
    public var signatureID: String
    public var fact: String
    public var captures: [String: String]
    /// First and last physical line of the event.
    public var line: Int
    public var lastLine: Int
    public var time: LogTimestamp?
    public var source: String?
    public var level: LogLevel?
    /// The event's first message line, cut at 400 bytes.
    public var message: String
}

/// Runs a `SignatureSet` over events. Dispatch is by level, then by the first four bytes of the
/// message for signatures with a `prefix`, so most events cost one table probe.
/// Not thread-safe (holds no shared state beyond the immutable set; make one per thread).
public final class FactExtractor {
    public let set: SignatureSet
    private let sigs: [LogSignature]
    /// The patterns alone: a whole signature is copied only for a match.
    private let patterns: [PCRE2Pattern]
    /// This extractor's match data (an extractor is used by one thread at a time).
    private let scratch: PCRE2MatchScratch

    static let bucketBits = 12
    static let bucketCount = 1 << bucketBits
    // Per level (debug, info, warn, error, unknown): CSR over hash buckets of 4-byte prefix keys, and the
    // list of signatures with short or no prefix. Flat, unmanaged storage: no ARC on the hot path.
    private let tables: SignatureDispatchTables
    private let bucketStart: UnsafeMutablePointer<Int32>   // 5 * (bucketCount + 1)
    private let bucketItems: UnsafeMutablePointer<Int32>
    private let others: UnsafeMutablePointer<Int32>
    private let othersRange: UnsafeMutablePointer<Int32>    // 5 * (lo, hi)
    private let plainOthersRange: UnsafeMutablePointer<Int32>  // the same without `scope: pasted`
    private let hasBuckets: UnsafeMutablePointer<Bool>       // 5
    private let hot: UnsafeMutablePointer<SignatureDispatchTables.Hot>

    /// Lines within which a carried fact is merged into the next fact of the same source.
    public var carryWindow = 20
    private var carried: [String: (line: Int, seq: Int, captures: [String: String])] = [:]
    private var seq = 0
    private var lastCarrierKey = ""


    public private(set) var factsEmitted = 0
    public private(set) var regexRuns = 0

    public init(signatures: SignatureSet) {
        set = signatures
        sigs = signatures.signatures
        patterns = sigs.map(\.pattern)
        scratch = PCRE2MatchScratch(groups: patterns.map(\.captureCount).max() ?? 0)
        // The tables are built once per catalogue and shared: a parallel read makes an extractor per segment.
        let t = signatures.dispatchTables
        tables = t
        bucketStart = t.bucketStart; bucketItems = t.bucketItems; others = t.others
        othersRange = t.othersRange; plainOthersRange = t.plainOthersRange; hasBuckets = t.hasBuckets; hot = t.hot
    }

    @inline(__always) static func key(_ b: [UInt8]) -> UInt32 {
        UInt32(b[0]) | UInt32(b[1]) << 8 | UInt32(b[2]) << 16 | UInt32(b[3]) << 24
    }

    @inline(__always) static func bucket(_ k: UInt32) -> Int {
        Int((k &* 2654435761) >> UInt32(32 - bucketBits))
    }

    /// Facts for one event inside a `LogReader` callback.
    @inline(__always)
    public func extract(_ ev: RawLogEvent, _ emit: (LogFact) throws -> Void) rethrows {
        let msg = ev.messageBytes
        let li = ev.level?.rawValue ?? 4
        seq &+= 1
        if msg.count >= 4, hasBuckets[li] {
            let k = msg.loadUnaligned(as: UInt32.self)
            let starts = bucketStart + li * (Self.bucketCount + 1)
            let b = Self.bucket(k)
            let lo = Int(starts[b]), hi = Int(starts[b + 1])
            if lo < hi {
                for j in lo..<hi { try check(Int(bucketItems[j]), ev, emit) }
            }
        }
        let plain = li < 4 && ev.continuationLines == 0
        let range = plain ? plainOthersRange : othersRange
        let olo = Int(range[2 * li]), ohi = Int(range[2 * li + 1])
        if olo < ohi {
            for j in olo..<ohi { try check(Int(others[j]), ev, emit) }
        }
    }

    /// Facts for an owned event (slower: re-encodes the text).
    public func facts(for event: LogEvent) -> [LogFact] {
        var out: [LogFact] = []
        var line = (event.source?.raw ?? "") + "\t" + (event.level?.name ?? "") + "\t"
        let msgStart = line.utf8.count
        line += event.message
        line.withUTF8 { buf in
            let raw = UnsafeRawBufferPointer(buf)
            let firstNL = raw[msgStart...].firstIndex(of: 10) ?? raw.count
            var h = HeaderParse()
            h.level = event.level
            h.format = event.format
            if event.source != nil { h.sourceStart = 0; h.sourceEnd = event.source!.raw.utf8.count }
            h.messageStart = msgStart; h.messageEnd = firstNL
            h.time = event.time
            withUnsafePointer(to: h) { header in
                let ev = RawLogEvent(lineBytes: UnsafeRawBufferPointer(rebasing: raw[0..<firstNL]),
                                     messageBytes: UnsafeRawBufferPointer(rebasing: raw[msgStart...]),
                                     firstLine: event.lines.lowerBound, lastLine: event.lines.upperBound,
                                     byteRange: event.byteRange, continuationLines: 0, resolvedYear: 0,
                                     flags: event.flags, headerPointer: header)
                extract(ev) { out.append($0) }
            }
        }
        return out
    }

    @inline(__always)
    private func check(_ i: Int, _ ev: RawLogEvent, _ emit: (LogFact) throws -> Void) rethrows {
        let h = hot + i
        if h.pointee.pastedOnly, ev.header.level != nil, ev.continuationLines == 0 { return }
        let msg = ev.messageBytes
        if let pre = h.pointee.prefix {
            guard msg.count >= h.pointee.prefixLen, memcmp(pre, msg.baseAddress!, h.pointee.prefixLen) == 0 else { return }
        }
        if let mod = h.pointee.module, let src = ev.sourceBytes {
            // `host:module` or `mod_module`: compare the tail, O(1).
            let n = h.pointee.moduleLen, c = src.count
            if c == n {
                // A pasted source column that lost its `host:` part.
                guard memcmp(mod, src.baseAddress!, n) == 0 else { return }
            } else {
                guard c > n, memcmp(mod, src.baseAddress! + (c - n), n) == 0 else { return }
                let before = src[c - n - 1]
                guard before == 58 || (c == n + 4 && before == 95 && src[0] == 109 && src[1] == 111 && src[2] == 100) else { return }
            }
        }
        if let g = h.pointee.glob, let src = ev.sourceBytes {
            let n = h.pointee.globLen
            let ok: Bool
            switch h.pointee.globKind {
            case 0: ok = src.count == n && memcmp(g, src.baseAddress!, n) == 0
            case 1: ok = src.count >= n && memcmp(g, src.baseAddress!, n) == 0
            case 2: ok = src.count >= n && memcmp(g, src.baseAddress! + (src.count - n), n) == 0
            default: ok = src.count >= n && c_memmem(src.baseAddress!, src.count, g, n) != nil
            }
            guard ok else { return }
        }
        if let pf = h.pointee.prefilter {
            guard msg.count >= h.pointee.prefilterLen, c_memmem(msg.baseAddress!, msg.count, pf, h.pointee.prefilterLen) != nil else { return }
        }
        regexRuns += 1
        guard let m = patterns[i].firstMatchNamedGroups(in: msg, scratch: scratch) else { return }
        // Fields of the signature read one by one: copying the whole struct retains all of them.
        var captures = m.groups
        if !sigs[i].set.isEmpty {
            for (k, v) in sigs[i].set where captures[k] == nil { captures[k] = v }
        }
        // The physical line of the match: an event with continuation lines (a traceback, or
        // the prose and quoted lines of a paste) can match below its first line.
        var matchLine = ev.firstLine
        var lineStart = 0
        if ev.lastLine > ev.firstLine {
            var start = m.start
            // A pattern may begin with `\s*`: the match is where its text starts.
            while start < msg.count, msg[start] == 10 || msg[start] == 13 || msg[start] == 32 || msg[start] == 9 { start += 1 }
            var newlines = 0
            for i in 0..<min(start, msg.count) where msg[i] == 10 {
                newlines += 1
                lineStart = i + 1
            }
            if ev.firstLine + newlines <= ev.lastLine { matchLine = ev.firstLine + newlines } else { lineStart = 0 }
        }
        let lineEnd = lineStart < msg.count
            ? memchr(msg.baseAddress! + lineStart, 10, msg.count - lineStart).map { UnsafeRawPointer($0) - msg.baseAddress! } ?? msg.count
            : msg.count
        let shown = UnsafeRawBufferPointer(rebasing: msg[lineStart..<min(lineEnd, lineStart + 400)])
        let source = ev.sourceString
        // An event without a source column (pasted fragment) takes the most recent carrier's.
        let key = source ?? lastCarrierKey
        if !carried.isEmpty, let c = carried[key], c.seq != seq {
            if ev.firstLine - c.line <= carryWindow {
                for (k, v) in c.captures where captures[k] == nil { captures[k] = v }
            }
            carried[key] = nil
        }
        if let prefix = sigs[i].carry {
            if carried.count > 4096 { carried.removeAll() }
            var renamed: [String: String] = [:]
            for (k, v) in captures where !k.contains("_") || !k.hasPrefix(prefix + "_") { renamed[prefix + "_" + k] = v }
            carried[key] = (ev.firstLine, seq, renamed)
            lastCarrierKey = key
        }
        factsEmitted += 1
        try emit(LogFact(signatureID: sigs[i].id, fact: sigs[i].fact, captures: captures, line: matchLine,
                         lastLine: ev.lastLine, time: ev.time, source: source, level: ev.level,
                         message: String(decoding: shown, as: UTF8.self)))
    }

    @inline(__always) static func contains(_ hay: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
        guard hay.count >= needle.count, let base = hay.baseAddress else { return false }
        return needle.withUnsafeBytes { c_memmem(base, hay.count, $0.baseAddress!, $0.count) != nil }
    }
}

/// The dispatch tables of a catalogue (level → prefix buckets → signatures, and each signature's literal
/// filters), in flat unmanaged storage read by every extractor of the catalogue. Immutable once built.
final class SignatureDispatchTables: @unchecked Sendable {
    /// The filter part of a signature, without reference-counted fields (no ARC per event).
    struct Hot {
        var prefix: UnsafePointer<UInt8>?; var prefixLen: Int
        var prefilter: UnsafePointer<UInt8>?; var prefilterLen: Int
        var module: UnsafePointer<UInt8>?; var moduleLen: Int
        var glob: UnsafePointer<UInt8>?; var globLen: Int; var globKind: Int
        var pastedOnly: Bool
    }
    let bucketStart: UnsafeMutablePointer<Int32>
    let bucketItems: UnsafeMutablePointer<Int32>
    let others: UnsafeMutablePointer<Int32>
    let othersRange: UnsafeMutablePointer<Int32>
    let plainOthersRange: UnsafeMutablePointer<Int32>
    let hasBuckets: UnsafeMutablePointer<Bool>
    let hot: UnsafeMutablePointer<Hot>
    let hotBytes: UnsafeMutablePointer<UInt8>

    init(signatures sigs: [LogSignature]) {
        var allStarts: [Int32] = []
        var allItems: [Int32] = []
        var allOthers: [Int32] = []
        var ranges: [(Int, Int)] = []
        var plainRanges: [(Int, Int)] = []
        var has = [Bool](repeating: false, count: 5)
        for li in 0...4 {  // debug, info, warn, error, unknown level
            var buckets = [[Int32]](repeating: [], count: FactExtractor.bucketCount)
            var others: [Int32] = []
            for (i, s) in sigs.enumerated() {
                if li < 4, !s.levels.isEmpty, !s.levels.contains(LogLevel(rawValue: li)!) { continue }
                if s.prefixBytes.count >= 4 {
                    buckets[FactExtractor.bucket(FactExtractor.key(s.prefixBytes))].append(Int32(i))
                } else {
                    others.append(Int32(i))
                }
            }
            allStarts.append(Int32(allItems.count))
            for b in buckets { allItems.append(contentsOf: b); allStarts.append(Int32(allItems.count)) }
            has[li] = buckets.contains { !$0.isEmpty }
            ranges.append((allOthers.count, allOthers.count + others.count))
            allOthers.append(contentsOf: others)
            // For a record with a level and no continuation: the same list without `scope: pasted`.
            let plain = others.filter { !sigs[Int($0)].pastedOnly }
            plainRanges.append((allOthers.count, allOthers.count + plain.count))
            allOthers.append(contentsOf: plain)
        }
        func copy(_ a: [Int32]) -> UnsafeMutablePointer<Int32> {
            let p = UnsafeMutablePointer<Int32>.allocate(capacity: max(a.count, 1))
            p.initialize(from: a, count: a.count)
            return p
        }
        bucketStart = copy(allStarts)
        bucketItems = copy(allItems)
        others = copy(allOthers)
        othersRange = copy(ranges.flatMap { [Int32($0.0), Int32($0.1)] })
        plainOthersRange = copy(plainRanges.flatMap { [Int32($0.0), Int32($0.1)] })
        hasBuckets = .allocate(capacity: 5)
        hasBuckets.initialize(from: has, count: 5)
        // Literal bytes of all filters in one block.
        var blob: [UInt8] = []
        var spans: [(Int, Int, Int, Int, Int, Int, Int, Int, Int)] = []
        for s in sigs {
            let a = blob.count; blob += s.prefixBytes
            let b = blob.count; blob += s.prefilterBytes
            let c = blob.count; blob += s.moduleBytes
            let d = blob.count; blob += s.sourceGlob?.bytes ?? []
            spans.append((a, s.prefixBytes.count, b, s.prefilterBytes.count, c, s.moduleBytes.count,
                          d, s.sourceGlob?.bytes.count ?? 0, s.sourceGlob?.kind ?? -1))
        }
        hotBytes = .allocate(capacity: max(blob.count, 1))
        hotBytes.initialize(from: blob, count: blob.count)
        hot = .allocate(capacity: max(sigs.count, 1))
        for (i, sp) in spans.enumerated() {
            let base = UnsafePointer(hotBytes)
            hot.advanced(by: i).initialize(to: Hot(
                prefix: sp.1 > 0 ? base + sp.0 : nil, prefixLen: sp.1,
                prefilter: sp.3 > 0 ? base + sp.2 : nil, prefilterLen: sp.3,
                module: sp.5 > 0 ? base + sp.4 : nil, moduleLen: sp.5,
                glob: sp.8 >= 0 ? base + sp.6 : nil, globLen: sp.7, globKind: sp.8,
                pastedOnly: sigs[i].pastedOnly))
        }
    }

    deinit {
        bucketStart.deallocate(); bucketItems.deallocate(); others.deallocate()
        othersRange.deallocate(); hasBuckets.deallocate(); hot.deallocate(); hotBytes.deallocate()
        plainOthersRange.deallocate()
    }
}

/// glibc's memmem (a GNU extension the Glibc module does not export without _GNU_SOURCE).
@_silgen_name("memmem")
func c_memmem(_ haystack: UnsafeRawPointer, _ haystackLen: Int, _ needle: UnsafeRawPointer, _ needleLen: Int) -> UnsafeMutableRawPointer?
