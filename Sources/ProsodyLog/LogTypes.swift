import Foundation

/// Prosody's four log levels. Other vocabularies (syslog severities) are mapped onto them.
public enum LogLevel: Int, Sendable, Hashable, Codable, CaseIterable, Comparable, CustomStringConvertible {
    case debug = 0, info, warn, error

    public static func < (a: LogLevel, b: LogLevel) -> Bool { a.rawValue < b.rawValue }
    public var description: String { name }

    public var name: String {
        switch self {
        case .debug: "debug"
        case .info: "info"
        case .warn: "warn"
        case .error: "error"
        }
    }

    /// Accepts Prosody's names and syslog/journald names (`crit`, `err`, `warning`, `notice`, ...), any case.
    public init?(name: String) {
        switch name.lowercased() {
        case "debug", "trace": self = .debug
        case "info", "notice": self = .info
        case "warn", "warning": self = .warn
        case "error", "err", "crit", "critical", "alert", "emerg", "emergency", "fatal": self = .error
        default: return nil
        }
    }

    /// Syslog severity (0–7). Prosody writes error as CRIT (2), warn as WARNING (4).
    public init(syslogSeverity: Int) {
        switch syslogSeverity {
        case ...3: self = .error
        case 4: self = .warn
        case 5, 6: self = .info
        default: self = .debug
        }
    }
}

/// The layout a line was recognised as (or the layout the reader is told to expect).
public enum LogFormat: String, Sendable, Hashable, Codable, CaseIterable {
    /// Let the reader decide per line.
    case auto
    /// Prosody file sink: `[TS ]source<TAB>level<TAB>message`.
    case file
    /// console/stdout sink: padded source column, optional ANSI colours on the level.
    case console
    /// syslog sink as written to /var/log/syslog or shown by journalctl: `TS host prosody[pid]: source: message`.
    case syslog
    /// stdout sink captured by journald: `TS host prosody[pid]: source   level<TAB>message`.
    case journald
    /// docker / docker compose output: `prosody-1  | ...` or `2020-06-05T08:33:05.938Z ...` prefixes.
    case docker
    /// A pasted fragment: quote prefixes, lost first characters, lost TABs or columns, events run together.
    case fragment
    /// A line that is not a Prosody record (e.g. s6-overlay output) and has no record to attach to.
    case unparsed
}

/// A Prosody timestamp. Prosody's default format has no year; `year` is then inferred or nil.
public struct LogTimestamp: Sendable, Hashable, Codable, CustomStringConvertible {
    public var year: Int?
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int
    public var nanosecond: Int
    /// Offset from UTC in seconds when the line said so (RFC 3339 `Z`/`+01:00`), else nil (server local time).
    public var utcOffset: Int?
    /// True when `year` was not in the line but inferred.
    public var yearInferred: Bool

    public init(year: Int?, month: Int, day: Int, hour: Int, minute: Int, second: Int,
                nanosecond: Int = 0, utcOffset: Int? = nil, yearInferred: Bool = false) {
        self.year = year; self.month = month; self.day = day
        self.hour = hour; self.minute = minute; self.second = second
        self.nanosecond = nanosecond; self.utcOffset = utcOffset; self.yearInferred = yearInferred
    }

    /// ISO-8601-like text: `2026-11-29T09:12:56`, `--11-29T09:12:56` when the year is unknown, `Z`/offset if known.
    public var description: String {
        var b: [UInt8] = []
        b.reserveCapacity(36)
        func digits(_ v: Int, _ width: Int) {
            var d = [UInt8](repeating: 48, count: width)
            var x = v
            for k in stride(from: width - 1, through: 0, by: -1) { d[k] = UInt8(48 + x % 10); x /= 10 }
            b += d
        }
        if let year { digits(year, 4) } else { b.append(45) }
        b.append(45); digits(month, 2); b.append(45); digits(day, 2)
        b.append(84); digits(hour, 2); b.append(58); digits(minute, 2); b.append(58); digits(second, 2)
        if nanosecond > 0 {
            b.append(46)
            let start = b.count
            digits(nanosecond, 9)
            while b.count > start + 1, b.last == 48 { b.removeLast() }
        }
        if let off = utcOffset {
            if off == 0 { b.append(90) } else {
                let a = abs(off) / 60
                b.append(off < 0 ? 45 : 43); digits(a / 60, 2); b.append(58); digits(a % 60, 2)
            }
        }
        return String(decoding: b, as: UTF8.self)
    }

    /// The instant, if the year is known. Lines without an offset are read in `timeZone` (default: UTC).
    public func date(timeZone: TimeZone = TimeZone(identifier: "UTC")!) -> Date? {
        guard let year else { return nil }
        var c = DateComponents()
        c.year = year; c.month = month; c.day = day
        c.hour = hour; c.minute = minute; c.second = second; c.nanosecond = nanosecond
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = utcOffset.flatMap { TimeZone(secondsFromGMT: $0) } ?? timeZone
        return cal.date(from: c)
    }
}

/// A timestamp as integers: cheap to copy and to order on every event of a big log.
public struct PackedLogTime: Sendable, Equatable {
    /// Bit 63: a time is present. Then year (16 bits, 0 = unknown), month (4), day (5), hour (5), minute (6) and
    /// second (6), from bit 57 down to bit 16: the integer order is the time order. 0: no time.
    public var fields: UInt64
    public var nanosecond: Int32
    /// Offset from UTC in seconds, `Int32.min` when the line had none.
    public var utcOffset: Int32
    public var yearInferred: Bool

    public static let none = PackedLogTime(fields: 0, nanosecond: 0, utcOffset: .min, yearInferred: false)

    @inline(__always) public var isNone: Bool { fields == 0 }
    @inline(__always) public var hasYear: Bool { (fields >> 42) & 0xFFFF != 0 }

    /// The order of `LogTimestamp` fields (offsets are not compared, as there).
    @inline(__always) public static func earlier(_ a: PackedLogTime, _ b: PackedLogTime) -> Bool {
        a.fields != b.fields ? a.fields < b.fields : a.nanosecond < b.nanosecond
    }

    public var timestamp: LogTimestamp? {
        guard fields != 0 else { return nil }
        let v = fields
        let year = Int((v >> 42) & 0xFFFF)
        return LogTimestamp(year: year == 0 ? nil : year, month: Int((v >> 38) & 15), day: Int((v >> 33) & 31),
                            hour: Int((v >> 28) & 31), minute: Int((v >> 22) & 63), second: Int((v >> 16) & 63),
                            nanosecond: Int(nanosecond), utcOffset: utcOffset == .min ? nil : Int(utcOffset),
                            yearInferred: yearInferred)
    }
}

/// Kinds of per-session / per-connection sources (`c2s55d0c4f0` → `.c2s`, id `55d0c4f0`).
public enum SessionKind: String, Sendable, Hashable, Codable, CaseIterable {
    case c2s, s2sin, s2sout
    /// XEP-0114 component connection (`jcp…`).
    case component = "jcp"
    case bosh
    case admin
    /// server_epoll connection (`conn…`).
    case connection = "conn"
    /// server_epoll listener (`serv…`).
    case server = "serv"
    case fdwatch
    /// util.async runner (`runner…`).
    case runner
    /// DNS query (`unbound.query…`).
    case dnsQuery = "unbound.query"
}

public struct SessionRef: Sendable, Hashable, Codable {
    public var kind: SessionKind
    public var id: String
    public init(kind: SessionKind, id: String) { self.kind = kind; self.id = id }
}

/// The source column, decomposed.
public struct LogSource: Sendable, Hashable, Codable, CustomStringConvertible {
    public var raw: String
    /// The XMPP host of a `host:module` source.
    public var host: String?
    /// Module name from `host:module` or `mod_module` (global module).
    public var module: String?
    public var session: SessionRef?
    /// True for `mod_<name>` (a global module instance).
    public var isGlobalModule: Bool

    public var description: String { raw }

    public init(_ raw: String) {
        self.raw = raw
        host = nil; module = nil; session = nil; isGlobalModule = false
        let bytes = Array(raw.utf8)
        if let colon = bytes.lastIndex(of: UInt8(ascii: ":")), colon > 0, colon < bytes.count - 1 {
            host = String(decoding: bytes[..<colon], as: UTF8.self)
            module = String(decoding: bytes[(colon + 1)...], as: UTF8.self)
            return
        }
        if raw.hasPrefix("mod_"), bytes.count > 4 {
            module = String(raw.dropFirst(4))
            isGlobalModule = true
            return
        }
        if let (kind, idStart) = LogSource.sessionPrefix(bytes) {
            session = SessionRef(kind: kind, id: String(decoding: bytes[idStart...], as: UTF8.self))
        }
    }

    /// Recognises `c2s<hex>`, `s2sin<hex>`, `bosh<uuid>`, `conn<id>` etc. Returns the kind and where the id starts.
    static func sessionPrefix(_ b: [UInt8]) -> (SessionKind, Int)? {
        b.withUnsafeBytes { sessionPrefix($0) }
    }

    /// The same on raw bytes (no allocation: the log summary calls it per event).
    public static func sessionPrefix(_ b: UnsafeRawBufferPointer) -> (SessionKind, Int)? {
        guard b.count >= 4 else { return nil }
        @inline(__always) func isHex(_ c: UInt8) -> Bool { (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70) }
        @inline(__always) func isB64(_ c: UInt8) -> Bool {
            (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 45 || c == 95
        }
        func rest(_ n: Int, min: Int, _ ok: (UInt8) -> Bool) -> Bool {
            guard b.count - n >= min else { return false }
            for k in n..<b.count where !ok(b[k]) { return false }
            return true
        }
        func has(_ p: StaticString) -> Bool {
            let n = p.utf8CodeUnitCount
            return b.count >= n && memcmp(b.baseAddress!, p.utf8Start, n) == 0
        }
        switch b[0] {
        case UInt8(ascii: "s"):
            if has("s2sout") { return rest(6, min: 4, isHex) ? (.s2sout, 6) : nil }
            if has("s2sin") { return rest(5, min: 4, isHex) ? (.s2sin, 5) : nil }
        case UInt8(ascii: "c"):
            if has("c2s") { return rest(3, min: 4, isHex) ? (.c2s, 3) : nil }
        case UInt8(ascii: "j"):
            if has("jcp") { return rest(3, min: 4, isHex) ? (.component, 3) : nil }
        case UInt8(ascii: "a"):
            if has("admin") { return rest(5, min: 4, isHex) ? (.admin, 5) : nil }
        case UInt8(ascii: "b"):
            if has("bosh") { return rest(4, min: 8, { isHex($0) || $0 == 45 }) ? (.bosh, 4) : nil }
        case UInt8(ascii: "u"), UInt8(ascii: "f"), UInt8(ascii: "r"): break
        default: return nil
        }
        // Ids are 12 base64url characters; require a digit or capital so words like "connection" don't count.
        func b64(_ n: Int, _ kind: SessionKind) -> (SessionKind, Int)? {
            guard rest(n, min: 8, isB64) else { return nil }
            for i in n..<b.count where (b[i] >= 48 && b[i] <= 57) || (b[i] >= 65 && b[i] <= 90) { return (kind, n) }
            return nil
        }
        switch b[0] {
        case UInt8(ascii: "u"): if has("unbound.query") { return b64(13, .dnsQuery) }
        case UInt8(ascii: "f"): if has("fdwatch") { return b64(7, .fdwatch) }
        case UInt8(ascii: "r"): if has("runner") { return b64(6, .runner) }
        case UInt8(ascii: "c"): if has("conn") { return b64(4, .connection) }
        case UInt8(ascii: "s"): if has("serv") { return b64(4, .server) }
        default: break
        }
        return nil
    }
}

/// Heuristics that were needed to read a line.
public struct LogEventFlags: OptionSet, Sendable, Hashable, Codable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// `> ` quote prefix(es) were stripped.
    public static let quoted = LogEventFlags(rawValue: 1 << 0)
    /// The first character of the line was missing (`ay 08 07:50:47 …`) or a stray one was added.
    public static let damagedStart = LogEventFlags(rawValue: 1 << 1)
    /// Several events were run together on one physical line; this is one of them.
    public static let splitFromLine = LogEventFlags(rawValue: 1 << 2)
    /// No source column.
    public static let missingSource = LogEventFlags(rawValue: 1 << 3)
    /// No timestamp.
    public static let missingTimestamp = LogEventFlags(rawValue: 1 << 4)
    /// TABs were rendered as spaces.
    public static let tabsAsSpaces = LogEventFlags(rawValue: 1 << 5)
    /// A line or the event text was cut at the configured maximum length.
    public static let truncated = LogEventFlags(rawValue: 1 << 6)
    /// Continuation lines with no preceding record.
    public static let orphanContinuation = LogEventFlags(rawValue: 1 << 7)
    /// Leading indentation was stripped.
    public static let indented = LogEventFlags(rawValue: 1 << 8)
    /// ANSI colour escapes were present.
    public static let ansi = LogEventFlags(rawValue: 1 << 9)
    /// Text before the source column that is not a timestamp format we know (a custom `timestamps` format).
    public static let unrecognizedTimestamp = LogEventFlags(rawValue: 1 << 10)
}

/// One log record with its continuation lines, as owned values.
public struct LogEvent: Sendable, Hashable, Codable {
    public var time: LogTimestamp?
    public var source: LogSource?
    public var level: LogLevel?
    /// The message; continuation lines are appended after `\n` (their leading TAB kept).
    public var message: String
    /// 1-based physical line numbers in the input (a split event shares its line with others).
    public var lines: ClosedRange<Int>
    /// Byte range in the (decompressed) input.
    public var byteRange: Range<Int>
    public var format: LogFormat
    public var flags: LogEventFlags
    /// syslog/journald: the machine's host name, ident and pid.
    public var machine: String?
    public var ident: String?
    public var pid: Int?
    /// docker compose: the service prefix (`prosody-1`).
    public var container: String?

    public var host: String? { source?.host }
    public var module: String? { source?.module }
    public var session: SessionRef? { source?.session }
    /// The first line of the message (without continuation lines).
    public var firstLine: Substring {
        message.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
    }
}

/// Something the reader noticed about the input as a whole.
public enum LogReadIssue: Sendable, Hashable, CustomStringConvertible {
    /// NUL bytes at the start: not a text log. Nothing was parsed.
    case binaryInput(name: String)
    /// The gzip stream ended early. Everything decoded up to `uncompressedOffset` was parsed.
    case truncatedGzip(name: String, compressedOffset: Int, uncompressedOffset: Int)
    /// zlib reported corrupt data; parsing stopped there.
    case corruptGzip(name: String, compressedOffset: Int, uncompressedOffset: Int, message: String)
    /// Lines longer than the limit were cut (count, first line number).
    case longLines(name: String, count: Int, firstLine: Int, limit: Int)

    public var description: String {
        switch self {
        case .binaryInput(let n): "\(n): looks like a binary file (NUL bytes), not a log; skipped"
        case .truncatedGzip(let n, let c, let u):
            "\(n): gzip data is truncated at compressed byte \(c) (uncompressed byte \(u)); parsed what was there"
        case .corruptGzip(let n, let c, let u, let m):
            "\(n): corrupt gzip data at compressed byte \(c) (uncompressed byte \(u)): \(m); parsed what came before"
        case .longLines(let n, let count, let first, let limit):
            "\(n): \(count) line(s) longer than \(limit) bytes were cut (first at line \(first))"
        }
    }
}

public struct LogReadSummary: Sendable {
    public var name: String
    public var bytes: Int = 0
    public var lines: Int = 0
    public var events: Int = 0
    public var continuationLines: Int = 0
    public var levelCounts: [Int] = [0, 0, 0, 0, 0]  // debug, info, warn, error, unknown
    public var formatCounts: [LogFormat: Int] = [:]
    public var issues: [LogReadIssue] = []
    public init(name: String) { self.name = name }
}

public enum LogReadError: Error, CustomStringConvertible {
    case cannotOpen(path: String, errno: Int32)
    case readFailed(path: String, errno: Int32)

    public var description: String {
        switch self {
        case .cannotOpen(let p, let e): "cannot open \(p): \(String(cString: strerror(e)))"
        case .readFailed(let p, let e): "cannot read \(p): \(String(cString: strerror(e)))"
        }
    }
}
