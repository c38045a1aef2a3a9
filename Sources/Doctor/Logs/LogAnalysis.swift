import Foundation
import LuaSyntax
import ProsodyConfig
import ProsodyLog

/// One example line kept for a fact group: where it is and what it said.
public struct LogExample: Sendable, Hashable {
    public var file: String
    public var line: Int
    public var time: LogTimestamp?
    public var level: LogLevel?
    public var source: String?
    /// The event's first message line (cut at 400 bytes by the extractor).
    public var message: String
    /// Position of the event in the input (orders events that share a physical line).
    public var order: Int = 0

    /// The line as a reader would show it (`TS source<TAB>level<TAB>message`).
    public var text: String {
        var parts: [String] = []
        if let time { parts.append(time.description) }
        var rest = ""
        if let source { rest += source + "\t" }
        if let level { rest += level.name + "\t" }
        rest += message
        parts.append(rest)
        return parts.joined(separator: " ")
    }
}

/// Every occurrence of one fact with one key (e.g. `authentication-failed` for one user and IP),
/// bounded: a count, first/last time and the first few example lines.
public struct LogFactGroup: Sendable {
    public var fact: String
    /// What distinguishes the group inside its fact (a user, module, domain, reason), "" if nothing.
    public var key: String
    public var count: Int = 0
    public var firstTime: LogTimestamp?
    public var lastTime: LogTimestamp?
    public var examples: [LogExample] = []
    /// The captures of the first occurrence.
    public var captures: [String: String] = [:]
    public var signatureIDs: Set<String> = []

    public var firstExample: LogExample? { examples.first }
}

/// One input file (or stdin, or an example text), as read.
public struct LogFileSummary: Sendable {
    public var name: String
    public var bytes: Int
    public var lines: Int
    public var events: Int
    public var continuationLines: Int
    /// debug, info, warn, error, unknown
    public var levelCounts: [Int]
    public var formatCounts: [LogFormat: Int]
    /// Events that are not Prosody records (format `unparsed`): reported, not dropped.
    public var unparsedEvents: Int
    public var issues: [String]

    /// The format most events were recognised as.
    public var dominantFormat: LogFormat? {
        formatCounts.filter { $0.key != .unparsed }.max { a, b in a.value == b.value ? a.key.rawValue > b.key.rawValue : a.value < b.value }?.key
            ?? (formatCounts.isEmpty ? nil : .unparsed)
    }
}

/// A clustered message template (`Client connected from <ip>`), lnav style.
public struct LogTemplate: Sendable {
    public var template: String
    public var count: Int
    public var level: LogLevel?
    public var example: LogExample
}

/// Everything the log rules and the summary look at. Bounded: counts, first/last time and a few
/// example lines per fact group, never all lines of the log.
public struct LogAnalysis: Sendable {
    public var files: [LogFileSummary] = []
    /// Fact name → groups by key.
    public var groups: [String: [String: LogFactGroup]] = [:]
    /// Prosody versions named by start-up banners, in order of first appearance.
    public var prosodyVersions: [String] = []
    /// Modules named in source columns (`host:module`, `mod_module`), with event counts.
    public var modules: [String: Int] = [:]
    /// Source columns with session ids folded (`c2s*`), with event counts.
    public var sources: [String: Int] = [:]
    public var templates: [LogTemplate] = []
    public var firstTime: LogTimestamp?
    public var lastTime: LogTimestamp?
    /// Events skipped by --since/--until.
    public var filteredOut: Int = 0
    /// Examples kept per group.
    public var exampleLimit: Int = 5

    public init() {}

    /// All groups of one fact, most frequent first.
    public func groups(_ fact: String) -> [LogFactGroup] {
        (groups[fact].map { Array($0.values) } ?? []).sorted {
            $0.count != $1.count ? $0.count > $1.count : ($0.firstExample?.line ?? 0) < ($1.firstExample?.line ?? 0)
        }
    }

    public func count(_ fact: String) -> Int { groups[fact]?.values.reduce(0) { $0 + $1.count } ?? 0 }
    public func has(_ fact: String) -> Bool { count(fact) > 0 }

    /// Total counts over all files.
    public var levelCounts: [Int] {
        files.reduce(into: [0, 0, 0, 0, 0]) { acc, f in for i in 0..<5 { acc[i] += f.levelCounts[i] } }
    }
    public var eventCount: Int { files.reduce(0) { $0 + $1.events } }
    public var lineCount: Int { files.reduce(0) { $0 + $1.lines } }
    public var formatCounts: [LogFormat: Int] {
        files.reduce(into: [:]) { acc, f in for (k, v) in f.formatCounts { acc[k, default: 0] += v } }
    }
}

extension LogExample {
    /// A location on the example's line in its log file.
    public var location: SourceLocation {
        let p = SourcePosition(offset: 0, line: line, column: 1)
        return SourceLocation(file: file, range: SourceRange(start: p, end: p))
    }
}

extension LogTimestamp {
    static func earlier(_ a: LogTimestamp, _ b: LogTimestamp) -> Bool {
        // A year known on only one side is ignored. (Allocation-free: runs once per event.)
        if let ya = a.year, let yb = b.year, ya != yb { return ya < yb }
        if a.month != b.month { return a.month < b.month }
        if a.day != b.day { return a.day < b.day }
        if a.hour != b.hour { return a.hour < b.hour }
        if a.minute != b.minute { return a.minute < b.minute }
        if a.second != b.second { return a.second < b.second }
        return a.nanosecond < b.nanosecond
    }
}

extension SourceFiles {
    /// Adds the text of cited log lines (only those) so text reporters can quote them.
    /// Lines are placed at their line numbers; lines beyond `maxLine` are not added.
    public mutating func addLogLines(_ examples: [LogExample], maxLine: Int = 2_000_000) {
        var byFile: [String: [Int: String]] = [:]
        var perLine: [String: [Int: [LogExample]]] = [:]
        for e in examples where e.line <= maxLine { perLine[e.file, default: [:]][e.line, default: []].append(e) }
        for (file, lines) in perLine {
            for (line, list) in lines {
                // Events run together on one physical line are shown together, in input order.
                var seen = Set<Int>()
                let unique = list.sorted { $0.order < $1.order }.filter { seen.insert($0.order).inserted }
                byFile[file, default: [:]][line] = unique.map(\.text).joined(separator: " ⏎ ")
            }
        }
        for (file, lines) in byFile {
            var existing: [Int: String] = [:]
            if let bytes = texts[file] {
                for (i, l) in String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated()
                where !l.isEmpty { existing[i + 1] = String(l) }
            }
            existing.merge(lines) { a, _ in a }
            // Only the cited lines hold text; the lines between them are empty (a log may have millions).
            var out: [UInt8] = []
            var at = 1
            for n in existing.keys.sorted() {
                out.append(contentsOf: repeatElement(10, count: n - at))
                out.append(contentsOf: existing[n]!.utf8.map { $0 == 10 ? 32 : $0 })
                out.append(10)
                at = n + 1
            }
            if out.isEmpty { out = [10] }
            texts[file] = out
        }
    }
}
