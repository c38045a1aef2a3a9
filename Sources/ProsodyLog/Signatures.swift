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
                                    pattern: pattern, set: e.set ?? [:],
                                    prefixBytes: Array((e.prefix ?? "").utf8),
                                    prefilterBytes: Array((e.prefilter ?? "").utf8),
                                    moduleBytes: Array((e.module ?? "").utf8),
                                    sourceGlob: glob.map { (kind: $0.0, bytes: $0.1) }))
        }
        signatures = out
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

    private struct LevelTable {
        var bucketStart: [Int32]   // CSR over hash buckets of 4-byte prefix keys
        var bucketItems: [Int32]
        var others: [Int32]        // short prefixes and unprefixed signatures
    }
    private static let bucketBits = 12
    private var tables: [LevelTable] = []

    public private(set) var factsEmitted = 0
    public private(set) var regexRuns = 0

    public init(signatures: SignatureSet) {
        set = signatures
        sigs = signatures.signatures
        for li in 0...4 {  // debug, info, warn, error, unknown level
            var buckets = [[Int32]](repeating: [], count: 1 << Self.bucketBits)
            var others: [Int32] = []
            for (i, s) in sigs.enumerated() {
                if li < 4, !s.levels.isEmpty, !s.levels.contains(LogLevel(rawValue: li)!) { continue }
                if s.prefixBytes.count >= 4 {
                    buckets[Self.bucket(Self.key(s.prefixBytes))].append(Int32(i))
                } else {
                    others.append(Int32(i))
                }
            }
            var start: [Int32] = [0]
            var items: [Int32] = []
            for b in buckets { items.append(contentsOf: b); start.append(Int32(items.count)) }
            tables.append(LevelTable(bucketStart: start, bucketItems: items, others: others))
        }
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
        let table = tables[ev.level?.rawValue ?? 4]
        if msg.count >= 4, !table.bucketItems.isEmpty {
            let k = msg.loadUnaligned(as: UInt32.self)
            let b = Self.bucket(k)
            let lo = Int(table.bucketStart[b]), hi = Int(table.bucketStart[b + 1])
            if lo < hi {
                for j in lo..<hi { try check(Int(table.bucketItems[j]), ev, emit) }
            }
        }
        for j in table.others { try check(Int(j), ev, emit) }
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
            let ev = RawLogEvent(lineBytes: UnsafeRawBufferPointer(rebasing: raw[0..<firstNL]),
                                 messageBytes: UnsafeRawBufferPointer(rebasing: raw[msgStart...]),
                                 firstLine: event.lines.lowerBound, lastLine: event.lines.upperBound,
                                 byteRange: event.byteRange, continuationLines: 0, time: event.time,
                                 flags: event.flags, header: h)
            extract(ev) { out.append($0) }
        }
        return out
    }

    @inline(__always)
    private func check(_ i: Int, _ ev: RawLogEvent, _ emit: (LogFact) throws -> Void) rethrows {
        let s = sigs[i]
        let msg = ev.messageBytes
        if !s.prefixBytes.isEmpty {
            guard msg.count >= s.prefixBytes.count,
                  s.prefixBytes.withUnsafeBytes({ memcmp($0.baseAddress!, msg.baseAddress!, $0.count) }) == 0 else { return }
        }
        if !s.moduleBytes.isEmpty, ev.sourceBytes != nil {
            guard let m = ev.moduleBytes, m.elementsEqual(s.moduleBytes) else { return }
        }
        if let g = s.sourceGlob, let src = ev.sourceBytes {
            let ok: Bool
            switch g.kind {
            case 0: ok = src.elementsEqual(g.bytes)
            case 1: ok = src.starts(with: g.bytes)
            case 2: ok = src.count >= g.bytes.count && src[(src.count - g.bytes.count)...].elementsEqual(g.bytes)
            default: ok = Self.contains(src, g.bytes)
            }
            guard ok else { return }
        }
        if !s.prefilterBytes.isEmpty {
            guard Self.contains(msg, s.prefilterBytes) else { return }
        }
        regexRuns += 1
        guard let m = s.pattern.firstMatch(in: msg) else { return }
        var captures = m.namedGroups
        for (k, v) in s.set where captures[k] == nil { captures[k] = v }
        let firstNL = msg.firstIndex(of: 10) ?? msg.count
        let shown = UnsafeRawBufferPointer(rebasing: msg[0..<min(firstNL, 400)])
        factsEmitted += 1
        try emit(LogFact(signatureID: s.id, fact: s.fact, captures: captures, line: ev.firstLine,
                         lastLine: ev.lastLine, time: ev.time, source: ev.sourceString, level: ev.level,
                         message: String(decoding: shown, as: UTF8.self)))
    }

    @inline(__always) static func contains(_ hay: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
        guard hay.count >= needle.count, let base = hay.baseAddress else { return false }
        return needle.withUnsafeBytes { c_memmem(base, hay.count, $0.baseAddress!, $0.count) != nil }
    }
}

/// glibc's memmem (a GNU extension the Glibc module does not export without _GNU_SOURCE).
@_silgen_name("memmem")
func c_memmem(_ haystack: UnsafeRawPointer, _ haystackLen: Int, _ needle: UnsafeRawPointer, _ needleLen: Int) -> UnsafeMutableRawPointer?
