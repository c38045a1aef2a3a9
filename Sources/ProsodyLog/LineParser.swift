import Foundation

// Byte-level recognition of one physical line. No allocation on the hot path.

@usableFromInline let TAB: UInt8 = 9
@usableFromInline let SP: UInt8 = 32
@usableFromInline let ESC: UInt8 = 27

/// Bytes allowed in a source column: letters, digits, `_ . : @ - [ ]` and any non-ASCII byte (IDN hosts).
@inline(__always) func isSourceByte(_ c: UInt8) -> Bool {
    if c >= 128 { return true }
    let l = c | 0x20
    if l >= 97 && l <= 122 { return true }          // letters
    if c &- 45 <= 13 { return c != 47 }               // - . 0-9 : (not /)
    return c == 95 || c == 64 || c == 91 || c == 93   // _ @ [ ]
}

/// One recognised record header within a line. Offsets are relative to the line start.
struct HeaderParse {
    var format: LogFormat = .file
    var flags: LogEventFlags = []
    // The timestamp, packed (this struct is copied per line): bit 63 present, then year(16, 0 = none),
    // month(4), day(5), hour(5), minute(6), second(6). Nanoseconds and UTC offset (Int32.min = none) apart.
    var tsPacked: UInt64 = 0
    var tsNanos: Int32 = 0
    var tsOffset: Int32 = .min
    @inline(__always) var hasTime: Bool { tsPacked != 0 }
    var time: LogTimestamp? {
        get {
            guard tsPacked != 0 else { return nil }
            let v = tsPacked
            let year = Int((v >> 42) & 0xFFFF)
            return LogTimestamp(year: year == 0 ? nil : year, month: Int((v >> 38) & 15), day: Int((v >> 33) & 31),
                                hour: Int((v >> 28) & 31), minute: Int((v >> 22) & 63), second: Int((v >> 16) & 63),
                                nanosecond: Int(tsNanos), utcOffset: tsOffset == .min ? nil : Int(tsOffset))
        }
        set {
            guard let t = newValue else { tsPacked = 0; tsNanos = 0; tsOffset = .min; return }
            var v: UInt64 = 1 << 63
            v |= (UInt64(t.year ?? 0) & 0xFFFF) << 42
            v |= UInt64(t.month & 15) << 38 | UInt64(t.day & 31) << 33 | UInt64(t.hour & 31) << 28
            v |= UInt64(t.minute & 63) << 22 | UInt64(t.second & 63) << 16
            tsPacked = v
            tsNanos = Int32(truncatingIfNeeded: t.nanosecond)
            tsOffset = t.utcOffset.map { Int32(truncatingIfNeeded: $0) } ?? .min
        }
    }
    var level: LogLevel? = nil
    // Offsets within a line (at most `maxLineLength`) stored as Int32: the header is copied per line, and
    // half its size is half the copying.
    private var offsets: (Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32) =
        (-1, -1, 0, 0, -1, -1, -1, -1, -1, -1, -1)
    var sourceStart: Int { get { Int(offsets.0) } set { offsets.0 = Int32(truncatingIfNeeded: newValue) } }
    var sourceEnd: Int { get { Int(offsets.1) } set { offsets.1 = Int32(truncatingIfNeeded: newValue) } }
    var messageStart: Int { get { Int(offsets.2) } set { offsets.2 = Int32(truncatingIfNeeded: newValue) } }
    var messageEnd: Int { get { Int(offsets.3) } set { offsets.3 = Int32(truncatingIfNeeded: newValue) } }
    var machineStart: Int { get { Int(offsets.4) } set { offsets.4 = Int32(truncatingIfNeeded: newValue) } }
    var machineEnd: Int { get { Int(offsets.5) } set { offsets.5 = Int32(truncatingIfNeeded: newValue) } }
    var identStart: Int { get { Int(offsets.6) } set { offsets.6 = Int32(truncatingIfNeeded: newValue) } }
    var identEnd: Int { get { Int(offsets.7) } set { offsets.7 = Int32(truncatingIfNeeded: newValue) } }
    /// Process id of a syslog ident, -1 if none (pids fit in 32 bits).
    var pid: Int { get { Int(offsets.8) } set { offsets.8 = Int32(truncatingIfNeeded: newValue) } }
    var containerStart: Int { get { Int(offsets.9) } set { offsets.9 = Int32(truncatingIfNeeded: newValue) } }
    var containerEnd: Int { get { Int(offsets.10) } set { offsets.10 = Int32(truncatingIfNeeded: newValue) } }
}

/// Which layouts a forced `--log-format` accepts.
struct FormatPolicy {
    var mode: LogFormat
    var allowSplit: Bool { mode == .auto || mode == .fragment }

    func accepts(_ h: HeaderParse) -> Bool {
        switch mode {
        case .auto, .fragment, .unparsed: return true
        case .file: return h.format == .file
        case .console: return h.format == .console || h.format == .file
        case .syslog, .journald: return h.format == .syslog || h.format == .journald
        case .docker: return h.format == .docker
        }
    }
}

@inline(__always) func isDigit(_ c: UInt8) -> Bool { c &- 48 < 10 }

/// Month from three letters `Jan`…`Dec` (also all-lowercase/uppercase), 1…12, or 0.
@inline(__always) func month3(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Int {
    let k = (UInt32(a | 0x20) << 16) | (UInt32(b | 0x20) << 8) | UInt32(c | 0x20)
    switch k {
    case 0x6a616e: return 1   // jan
    case 0x666562: return 2   // feb
    case 0x6d6172: return 3   // mar
    case 0x617072: return 4   // apr
    case 0x6d6179: return 5   // may
    case 0x6a756e: return 6   // jun
    case 0x6a756c: return 7   // jul
    case 0x617567: return 8   // aug
    case 0x736570: return 9   // sep
    case 0x6f6374: return 10  // oct
    case 0x6e6f76: return 11  // nov
    case 0x646563: return 12  // dec
    default: return 0
    }
}

/// Month from its last two letters (a line that lost its first character). All twelve are distinct.
@inline(__always) func month2(_ b: UInt8, _ c: UInt8) -> Int {
    switch (UInt16(b | 0x20) << 8) | UInt16(c | 0x20) {
    case 0x616e: return 1   // an
    case 0x6562: return 2   // eb
    case 0x6172: return 3   // ar
    case 0x7072: return 4   // pr
    case 0x6179: return 5   // ay
    case 0x756e: return 6   // un
    case 0x756c: return 7   // ul
    case 0x7567: return 8   // ug
    case 0x6570: return 9   // ep
    case 0x6374: return 10  // ct
    case 0x6f76: return 11  // ov
    case 0x6563: return 12  // ec
    default: return 0
    }
}

@inline(__always) func d2(_ p: UnsafePointer<UInt8>, _ i: Int) -> Int { Int(p[i] &- 48) * 10 + Int(p[i + 1] &- 48) }

/// `HH:MM:SS` at i (8 bytes).
@inline(__always) func clockAt(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: Int) -> Bool {
    i + 8 <= n && isDigit(p[i]) && isDigit(p[i + 1]) && p[i + 2] == 58 && isDigit(p[i + 3]) && isDigit(p[i + 4])
        && p[i + 5] == 58 && isDigit(p[i + 6]) && isDigit(p[i + 7])
}

/// `DD HH:MM:SS` (or ` D HH:MM:SS`) at i, after the month and its space. Returns the index after the clock.
@inline(__always) func dayClockAt(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: Int, month: Int) -> (LogTimestamp, Int)? {
    guard i + 11 <= n, p[i + 2] == SP, isDigit(p[i + 1]), isDigit(p[i]) || p[i] == SP, clockAt(p, n, i + 3) else { return nil }
    let day = p[i] == SP ? Int(p[i + 1] &- 48) : d2(p, i)
    let ts = LogTimestamp(year: nil, month: month, day: day, hour: d2(p, i + 3), minute: d2(p, i + 6), second: d2(p, i + 9))
    return (ts, i + 11)
}

/// `Mon DD HH:MM:SS` at i. Returns the timestamp and the index after it.
@inline(__always) func classicTimestamp(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: Int) -> (LogTimestamp, Int)? {
    guard i + 15 <= n, p[i + 3] == SP else { return nil }
    let m = month3(p[i], p[i + 1], p[i + 2])
    guard m != 0 else { return nil }
    return dayClockAt(p, n, i + 4, month: m)
}

/// `Mon DD HH:MM:SS` at the line start, packed as in `HeaderParse.tsPacked` (no intermediate struct).
@inline(__always) func classicPacked(_ p: UnsafePointer<UInt8>, _ n: Int) -> (UInt64, Int)? {
    guard n >= 16, p[3] == SP, p[6] == SP, isDigit(p[5]), isDigit(p[4]) || p[4] == SP, clockAt(p, n, 7) else { return nil }
    let m = month3(p[0], p[1], p[2])
    guard m != 0 else { return nil }
    let day = p[4] == SP ? Int(p[5] &- 48) : d2(p, 4)
    var v: UInt64 = 1 << 63
    v |= UInt64(m) << 38 | UInt64(day & 31) << 33 | UInt64(d2(p, 7) & 31) << 28
    v |= UInt64(d2(p, 10) & 63) << 22 | UInt64(d2(p, 13) & 63) << 16
    return (v, 15)
}

/// `YYYY-MM-DD[ T]HH:MM:SS[.frac][Z|±HH:MM|±HHMM]` at i.
func isoTimestamp(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: Int) -> (LogTimestamp, Int)? {
    guard i + 19 <= n, isDigit(p[i]), isDigit(p[i + 1]), isDigit(p[i + 2]), isDigit(p[i + 3]), p[i + 4] == 45,
          isDigit(p[i + 5]), isDigit(p[i + 6]), p[i + 7] == 45, isDigit(p[i + 8]), isDigit(p[i + 9]),
          p[i + 10] == SP || p[i + 10] == UInt8(ascii: "T"), clockAt(p, n, i + 11) else { return nil }
    var ts = LogTimestamp(year: d2(p, i) * 100 + d2(p, i + 2), month: d2(p, i + 5), day: d2(p, i + 8),
                          hour: d2(p, i + 11), minute: d2(p, i + 14), second: d2(p, i + 17))
    var j = i + 19
    if j < n, p[j] == 46 || p[j] == 44 {  // . or ,
        j += 1
        var nanos = 0, digits = 0
        while j < n, isDigit(p[j]) {
            if digits < 9 { nanos = nanos * 10 + Int(p[j] &- 48); digits += 1 }
            j += 1
        }
        while digits < 9 { nanos *= 10; digits += 1 }
        ts.nanosecond = nanos
    }
    if j < n, p[j] == UInt8(ascii: "Z") {
        ts.utcOffset = 0; j += 1
    } else if j + 5 <= n, p[j] == 43 || p[j] == 45, isDigit(p[j + 1]), isDigit(p[j + 2]) {
        let sign = p[j] == 45 ? -1 : 1
        let hh = d2(p, j + 1)
        var mm = 0
        if j + 6 <= n, p[j + 3] == 58, isDigit(p[j + 4]), isDigit(p[j + 5]) { mm = d2(p, j + 4); j += 6 }
        else if isDigit(p[j + 3]), isDigit(p[j + 4]) { mm = d2(p, j + 3); j += 5 }
        else { return (ts, j) }
        ts.utcOffset = sign * (hh * 3600 + mm * 60)
    }
    return (ts, j)
}

/// `debug`/`info`/`warn`/`error` at i; returns the level and its length.
@inline(__always) func levelWord(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: Int) -> (LogLevel, Int)? {
    guard i + 4 <= n else { return nil }
    switch p[i] {
    case UInt8(ascii: "d"):
        if i + 5 <= n, p[i + 1] == 101, p[i + 2] == 98, p[i + 3] == 117, p[i + 4] == 103 { return (.debug, 5) }
    case UInt8(ascii: "i"):
        if p[i + 1] == 110, p[i + 2] == 102, p[i + 3] == 111 { return (.info, 4) }
    case UInt8(ascii: "w"):
        if p[i + 1] == 97, p[i + 2] == 114, p[i + 3] == 110 { return (.warn, 4) }
    case UInt8(ascii: "e"):
        if i + 5 <= n, p[i + 1] == 114, p[i + 2] == 114, p[i + 3] == 111, p[i + 4] == 114 { return (.error, 5) }
    default: break
    }
    return nil
}

/// A `> ` quote, or the `prosody-1  | ` compose prefix: returns the index after it.
@inline(__always) func composePrefix(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: Int) -> Int? {
    var j = i
    while j < n, j - i < 80 {
        let c = p[j]
        if (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || isDigit(c) || c == 95 || c == 45 || c == 46 { j += 1 } else { break }
    }
    guard j > i, j < n, p[j] == SP else { return nil }
    while j < n, p[j] == SP { j += 1 }
    guard j < n, p[j] == UInt8(ascii: "|") else { return nil }
    j += 1
    if j < n, p[j] == SP { j += 1 }
    return j
}

/// Known subsystem sources, for deciding whether a word glued to the previous message is a source.
let knownSubsystems: Set<String> = [
    "startup", "general", "modulemanager", "hostmanager", "portmanager", "certmanager", "sessionmanager",
    "s2smanager", "storagemanager", "usermanager", "rostermanager", "datamanager", "stanzarouter", "stats",
    "x509", "sasl", "timer", "adminstream", "http.server", "http", "net.connect", "net.server", "server_epoll",
    "unbound", "dns", "adns", "websocket", "net.http.files", "util.async", "util.debug", "sql", "socket",
    "configmanager", "pluginloader", "loggingmanager", "server_select", "server_event",
]

/// Whether bytes look like a Prosody source (used only where a source must be guessed).
func looksLikeSource(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
    guard e > s, e - s < 256 else { return false }
    var colon = false, dot = false
    for k in s..<e {
        let c = p[k]
        if !isSourceByte(c) { return false }
        if c == 58 { colon = true }
        if c == 46 { dot = true }
    }
    if colon && dot { return true }
    let bytes = Array(UnsafeBufferPointer(start: p + s, count: e - s))
    if bytes.starts(with: "mod_".utf8) { return true }
    if LogSource.sessionPrefix(bytes) != nil { return true }
    return knownSubsystems.contains(String(decoding: bytes, as: UTF8.self))
}

enum LineKind {
    case header
    /// Not a record: continuation of the previous one. `contentStart` is after any prefix (compose, quote).
    case continuation(contentStart: Int)
}

struct LineParser {
    var policy: FormatPolicy
    /// Output: the record header found on the line, and more when events were run together.
    var first = HeaderParse()
    var extra: [HeaderParse] = []
    private var count = 0

    init(policy: FormatPolicy) {
        self.policy = policy
    }

    /// The timestamp of the last line, by its first 16 bytes: most lines share their second with the one
    /// before, and then nothing is parsed.
    private var lastStamp: (UInt64, UInt64) = (0, 0)
    private var lastPacked: UInt64 = 0

    @inline(__always) private mutating func classicPackedRepeated(_ p: UnsafePointer<UInt8>, _ n: Int) -> (UInt64, Int)? {
        guard n >= 16 else { return classicPacked(p, n) }
        let raw = UnsafeRawPointer(p)
        let stamp = (raw.loadUnaligned(as: UInt64.self), raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        if lastPacked != 0, stamp == lastStamp { return (lastPacked, 15) }
        guard let (packed, e) = classicPacked(p, n) else { return nil }
        lastStamp = stamp
        lastPacked = packed
        return (packed, e)
    }

    @inline(__always) private mutating func emit(_ h: HeaderParse) {
        if count == 0 { first = h } else { extra.append(h) }
        count += 1
    }

    /// Parses one line (without its newline). Fills `headers` when the line starts one or more records.
    mutating func parse(_ p: UnsafePointer<UInt8>, _ n: Int) -> LineKind {
        if count > 1 { extra.removeAll(keepingCapacity: true) }
        count = 0
        if n == 0 || p[0] == TAB { return .continuation(contentStart: 0) }
        var h = HeaderParse()
        var i = 0

        // Fast path: the default file sink, `Mon DD HH:MM:SS source\tlevel\tmessage`.
        if let (packed, e) = classicPackedRepeated(p, n), e < n, p[e] == SP {
            h.tsPacked = packed
            i = e + 1
            // The source ends at the first TAB, followed by `level\t`: no per-byte checks needed (a source
            // may even contain a space in this layout).
            if let q = memchr(p + i, Int32(TAB), n - i) {
                let t = UnsafePointer<UInt8>(q.assumingMemoryBound(to: UInt8.self)) - p
                if t > i, p[t - 1] != SP, let (lvl, len) = levelWord(p, n, t + 1), t + 1 + len < n, p[t + 1 + len] == TAB {
                    h.sourceStart = i; h.sourceEnd = t
                    h.level = lvl
                    h.messageStart = t + 2 + len; h.messageEnd = n
                    h.format = .file
                    return finish(p, n, &h)
                }
            }
            if parseSourceLevel(p, n, i, &h) { return finish(p, n, &h) }
            // Not the plain layout: try syslog/journald after the timestamp.
            h = HeaderParse(); h.tsPacked = packed
            if parseSyslog(p, n, i, &h) { return finish(p, n, &h) }
            h = HeaderParse(); h.tsPacked = packed
            return timestampOnly(p, n, i, &h)
        }

        // Prefixes: quotes, indentation, compose service, docker timestamp, syslog <PRI>.
        var contentStart = 0
        var flags: LogEventFlags = []
        var container: (Int, Int)? = nil
        var priLevel: LogLevel? = nil
        var dockerTime: LogTimestamp? = nil
        var guardCount = 0
        while i < n, guardCount < 6 {
            guardCount += 1
            let c = p[i]
            if c == UInt8(ascii: ">") {
                i += 1
                if i < n, p[i] == SP { i += 1 }
                flags.insert(.quoted)
                continue
            }
            if c == SP {
                var j = i
                while j < n, p[j] == SP, j - i < 16 { j += 1 }
                if j < n, p[j] != TAB, j - i < 16 { flags.insert(.indented); i = j; continue }
                break
            }
            if c == UInt8(ascii: "<"), i + 3 < n, isDigit(p[i + 1]) {
                var j = i + 1, pri = 0
                while j < n, isDigit(p[j]), j - i < 5 { pri = pri * 10 + Int(p[j] &- 48); j += 1 }
                if j < n, p[j] == UInt8(ascii: ">") { priLevel = LogLevel(syslogSeverity: pri & 7); i = j + 1; continue }
                break
            }
            if container == nil, let j = composePrefix(p, n, i) {
                container = (i, j - (p[j - 1] == SP ? 2 : 1))
                var e = container!.1
                while e > container!.0, p[e - 1] == SP { e -= 1 }
                container!.1 = e
                i = j
                continue
            }
            if dockerTime == nil, isDigit(c), let (ts, e) = isoTimestamp(p, n, i), ts.utcOffset != nil,
               e < n, p[e] == SP, p[i + 10] == UInt8(ascii: "T") {
                // `docker logs -t`: RFC 3339 with nanoseconds and Z. A Prosody timestamp may follow.
                dockerTime = ts
                i = e + 1
                continue
            }
            break
        }
        contentStart = i
        if i < n, p[i] == TAB { return .continuation(contentStart: i) }
        if contentStart >= n { return .continuation(contentStart: min(contentStart, n)) }

        h.flags = flags
        if let container { h.containerStart = container.0; h.containerEnd = container.1 }

        // Timestamp (Prosody's own), possibly damaged.
        var ts: LogTimestamp? = nil
        if let (t, e) = classicTimestamp(p, n, i), e < n, p[e] == SP {
            ts = t; i = e + 1
        } else if let (t, e) = isoTimestamp(p, n, i), e < n, p[e] == SP {
            ts = t; i = e + 1
        } else if i + 14 <= n, month2(p[i], p[i + 1]) != 0, p[i + 2] == SP,
                  let (t, e) = dayClockAt(p, n, i + 3, month: month2(p[i], p[i + 1])), e < n, p[e] == SP {
            ts = t; i = e + 1; h.flags.insert(.damagedStart)          // `ay 08 07:50:47` (lost the M)
        } else if i + 17 <= n, !isDigit(p[i]), let (t, e) = classicTimestamp(p, n, i + 1), e < n, p[e] == SP {
            ts = t; i = e + 1; h.flags.insert(.damagedStart)          // `_Jun 08 13:57:56` (a stray character)
        }
        if ts == nil, let dockerTime { ts = dockerTime }
        h.time = ts
        if ts == nil { h.flags.insert(.missingTimestamp) }

        let base = h
        if parseSourceLevel(p, n, i, &h) {
            if let priLevel, h.level == nil { h.level = priLevel }
            classify(&h, container: container != nil || dockerTime != nil)
            return finish(p, n, &h)
        }
        h = base
        if ts != nil, parseSyslog(p, n, i, &h) {
            if let priLevel { h.level = priLevel }
            if h.flags.contains(.quoted) || h.flags.contains(.damagedStart) { h.format = .fragment }
            if container != nil { h.format = .docker }  // (an RFC 3339 time before a syslog ident: journalctl -o short-iso)
            return finish(p, n, &h)
        }
        // `warn Component not connected…`: a level without a source (the forum lost the first columns).
        if let (lvl, len) = levelWord(p, n, i), i + len < n, p[i + len] == SP || p[i + len] == TAB,
           policy.mode == .auto || policy.mode == .fragment {
            h = base
            h.level = lvl
            h.flags.insert(.missingSource)
            h.format = .fragment
            var m = i + len
            if p[m] == TAB { m += 1 } else { while m < n, p[m] == SP { m += 1 } }
            h.messageStart = m; h.messageEnd = n
            return finish(p, n, &h)
        }
        if ts != nil {
            h = base
            return timestampOnly(p, n, i, &h)
        }
        // A custom `timestamps` format we do not know: find `source\tlevel\t` or `source   level\t` later on.
        h = base
        if genericHeader(p, n, i, &h) {
            if container != nil || dockerTime != nil { h.format = .docker }
            return finish(p, n, &h)
        }
        return .continuation(contentStart: contentStart)
    }

    /// `<unknown timestamp> source\tlevel\tmessage` or `<unknown timestamp> source   level\tmessage`.
    private func genericHeader(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: Int, _ h: inout HeaderParse) -> Bool {
        guard i < n, n - i > 8, let q = memchr(p + i, Int32(TAB), min(n - i, 512)) else { return false }
        let t = UnsafePointer<UInt8>(q.assumingMemoryBound(to: UInt8.self)) - p
        var levelStart = -1, srcEnd = t, tabbed = false
        if let (_, len) = levelWord(p, n, t + 1), t + 1 + len == n || p[t + 1 + len] == TAB {
            levelStart = t + 1; tabbed = true
        } else {
            // padded: spaces + level immediately before this TAB
            for len in [4, 5] where t - len > i {
                if let (_, l) = levelWord(p, n, t - len), l == len, p[t - len - 1] == SP { levelStart = t - len; break }
            }
            guard levelStart > 0 else { return false }
            srcEnd = levelStart
            while srcEnd > i, p[srcEnd - 1] == SP { srcEnd -= 1 }
        }
        var s = srcEnd
        while s > i, isSourceByte(p[s - 1]) { s -= 1 }
        // The source must follow a space (end of the unknown timestamp), and something must precede it.
        guard s < srcEnd, s > i, p[s - 1] == SP, s - 1 - i <= 48 else { return false }
        // ...and what precedes it must look like a date/time: at least four digits.
        var digits = 0
        for k in i..<(s - 1) where isDigit(p[k]) { digits += 1 }
        guard digits >= 4 else { return false }
        let (lvl, len) = levelWord(p, n, levelStart)!
        h.sourceStart = s; h.sourceEnd = srcEnd
        h.level = lvl
        h.messageStart = min(levelStart + len + 1, n); h.messageEnd = n
        h.flags.remove(.missingTimestamp)
        h.flags.insert(.unrecognizedTimestamp)
        h.format = tabbed ? .file : .console
        if h.flags.contains(.quoted) || h.flags.contains(.damagedStart) || h.flags.contains(.indented) { h.format = .fragment }
        return true
    }

    private func classify(_ h: inout HeaderParse, container: Bool) {
        if container { h.format = .docker }
        if h.flags.contains(.quoted) || h.flags.contains(.damagedStart) || h.flags.contains(.tabsAsSpaces)
            || h.flags.contains(.indented) {
            h.format = container ? .docker : .fragment
        }
    }

    /// A line with a timestamp but no recognisable source/level: a record of unknown layout.
    private mutating func timestampOnly(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: Int, _ h: inout HeaderParse) -> LineKind {
        guard policy.mode == .auto || policy.mode == .fragment else { return .continuation(contentStart: 0) }
        h.format = .fragment
        h.flags.insert(.missingSource)
        h.messageStart = i; h.messageEnd = n
        emit(h)
        return .header
    }

    /// `source<seps>level<sep>message` starting at i. Sets format .file (TABs), .console (padded) or
    /// flags tabsAsSpaces. Handles ANSI-wrapped levels.
    private func parseSourceLevel(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: Int, _ h: inout HeaderParse) -> Bool {
        var j = i
        while j < n, isSourceByte(p[j]) { j += 1 }
        guard j > i, j < n else { return false }
        let srcEnd = j
        var sawTab = false, spaces = 0
        while j < n, p[j] == SP || p[j] == TAB {
            if p[j] == TAB { sawTab = true } else { spaces += 1 }
            j += 1
        }
        guard j > srcEnd, j < n else { return false }
        var ansi = false
        if p[j] == ESC {  // ESC[1;31m
            var k = j + 1
            guard k < n, p[k] == UInt8(ascii: "[") else { return false }
            k += 1
            while k < n, isDigit(p[k]) || p[k] == 59 { k += 1 }
            guard k < n, p[k] == UInt8(ascii: "m") else { return false }
            j = k + 1; ansi = true
        }
        guard let (lvl, len) = levelWord(p, n, j) else { return false }
        var k = j + len
        if ansi, k + 3 < n, p[k] == ESC, p[k + 1] == UInt8(ascii: "[") {
            k += 2
            while k < n, isDigit(p[k]) || p[k] == 59 { k += 1 }
            guard k < n, p[k] == UInt8(ascii: "m") else { return false }
            k += 1
        }
        // After the level: TAB (real), spaces (TAB lost in a paste) or end of line (empty message).
        var tabsAsSpaces = false
        if k < n {
            if p[k] == TAB { k += 1 }
            else if p[k] == SP {
                tabsAsSpaces = true
                while k < n, p[k] == SP { k += 1 }
            } else { return false }
        }
        // Without a timestamp, a single space before the level is weak evidence (could be prose).
        if !h.hasTime, !sawTab, spaces < 2, tabsAsSpaces { return false }
        h.sourceStart = i; h.sourceEnd = srcEnd
        h.level = lvl
        h.messageStart = k; h.messageEnd = n
        if ansi { h.flags.insert(.ansi) }
        if tabsAsSpaces { h.flags.insert(.tabsAsSpaces) }
        if sawTab && spaces == 0 && !ansi { h.format = .file } else { h.format = .console }
        if tabsAsSpaces { h.format = .fragment }
        return true
    }

    /// `[host ]ident[pid]: payload` after a syslog timestamp. The payload is either Prosody's syslog text
    /// (`source: message`) or a captured stdout line (`source   level\tmessage`, journald).
    private func parseSyslog(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: Int, _ h: inout HeaderParse) -> Bool {
        // Up to two words; the one ending in `[digits]:` is the ident.
        var j = i
        var wordStart = i
        for wordIndex in 0..<2 {
            wordStart = j
            while j < n, p[j] != SP, p[j] != UInt8(ascii: "[") { j += 1 }
            guard j < n else { return false }
            if p[j] == UInt8(ascii: "[") {
                var k = j + 1, pid = 0
                // At most 9 digits: a longer number is no pid (and must not overflow).
                while k < n, isDigit(p[k]), k - j <= 9 { pid = pid * 10 + Int(p[k] &- 48); k += 1 }
                guard k > j + 1, k + 1 < n, p[k] == UInt8(ascii: "]"), p[k + 1] == 58 else { return false }
                h.identStart = wordStart; h.identEnd = j; h.pid = pid
                if wordIndex == 1 { h.machineStart = i; h.machineEnd = wordStart - 1 }
                j = k + 2
                if j < n, p[j] == SP { j += 1 }
                break
            }
            if wordIndex == 1 { return false }
            j += 1  // the space after the host name
        }
        guard h.identStart >= 0 else { return false }
        var inner = HeaderParse()
        inner.tsPacked = h.tsPacked; inner.tsNanos = h.tsNanos; inner.tsOffset = h.tsOffset
        if parseSourceLevel(p, n, j, &inner), !inner.flags.contains(.tabsAsSpaces) {
            h.sourceStart = inner.sourceStart; h.sourceEnd = inner.sourceEnd
            h.level = inner.level; h.messageStart = inner.messageStart; h.messageEnd = inner.messageEnd
            h.flags.formUnion(inner.flags)
            h.format = .journald
            return true
        }
        h.format = .syslog
        // `source: message`
        var k = j
        while k < n, isSourceByte(p[k]) { k += 1 }
        // The source itself may contain ':' (host:module): the separator is ": " after the token.
        if k > j + 1, k < n, p[k] == SP, p[k - 1] == 58 {
            h.sourceStart = j; h.sourceEnd = k - 1
            h.messageStart = k + 1
        } else {
            h.flags.insert(.missingSource)
            h.messageStart = j
        }
        h.messageEnd = n
        return true
    }

    /// Splits events run together on one line (`…msg\tdebug\tmsg…`), then records the header(s).
    private mutating func finish(_ p: UnsafePointer<UInt8>, _ n: Int, _ h: inout HeaderParse) -> LineKind {
        guard policy.accepts(h) else { return .continuation(contentStart: 0) }
        guard policy.allowSplit, h.messageEnd - h.messageStart > 6,
              memchr(p + h.messageStart, Int32(TAB), h.messageEnd - h.messageStart) != nil else {
            emit(h)
            return .header
        }
        var cur = h
        var k = cur.messageStart
        while k < n {
            guard let q = memchr(p + k, Int32(TAB), n - k) else { break }
            let t = UnsafePointer<UInt8>(q.assumingMemoryBound(to: UInt8.self)) - p
            k = t + 1
            guard let (lvl, len) = levelWord(p, n, t + 1) else { continue }
            let after = t + 1 + len
            guard after == n || p[after] == TAB else { continue }
            // Split here. Is there a source glued to the end of the previous message?
            var next = HeaderParse()
            next.format = .fragment
            next.flags = [.splitFromLine]
            next.level = lvl
            var msgEnd = t
            var s = t
            while s > cur.messageStart, isSourceByte(p[s - 1]) { s -= 1 }
            if s < t, s > cur.messageStart, p[s - 1] == SP, looksLikeSource(p, s, t) {
                next.sourceStart = s; next.sourceEnd = t
                msgEnd = s - 1
                // …and a timestamp before it?
                if msgEnd - 15 >= cur.messageStart, let (ts, e) = classicTimestamp(p, n, msgEnd - 15), e == msgEnd {
                    next.time = ts
                    msgEnd -= 15
                    if msgEnd > cur.messageStart, p[msgEnd - 1] == SP { msgEnd -= 1 }
                } else { next.flags.insert(.missingTimestamp) }
            } else {
                next.flags.formUnion([.missingSource, .missingTimestamp])
            }
            cur.messageEnd = msgEnd
            emit(cur)
            next.messageStart = min(after + 1, n)
            next.messageEnd = n
            next.containerStart = cur.containerStart; next.containerEnd = cur.containerEnd
            cur = next
            k = next.messageStart
        }
        if count > 0 {
            first.flags.insert(.splitFromLine)
            first.format = first.format == .docker ? .docker : .fragment
        }
        emit(cur)
        return .header
    }
}
