import CZlib
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

public struct LogReaderOptions: Sendable {
    /// `.auto` detects per line; any other value accepts only that layout (other lines become continuations).
    public var format: LogFormat = .auto
    /// The year of the first event, for timestamps without one (`--year`). Rolls over Dec → Jan.
    public var year: Int? = nil
    /// Without `year`: infer it from the file's modification time (a log is assumed to span < 1 year).
    public var inferYearFromModificationTime = true
    /// Lines longer than this are cut (the rest is skipped, streaming continues).
    public var maxLineLength = 64 * 1024
    /// Continuation text kept per event.
    public var maxEventLength = 256 * 1024
    /// Read size (files, pipes and gzip output): small enough to stay in the CPU cache.
    public var chunkSize = 1 << 17

    public init(format: LogFormat = .auto, year: Int? = nil) {
        self.format = format
        self.year = year
    }
}

/// A record as seen inside the reader's callback. Its buffers are only valid during the call;
/// use `makeEvent()` to keep it.
public struct RawLogEvent {
    /// The record's first physical line (after the cap), from which the columns are cut.
    public let lineBytes: UnsafeRawBufferPointer
    /// The whole message: the first line's message and the continuation lines after `\n`.
    public let messageBytes: UnsafeRawBufferPointer
    public let firstLine: Int
    public let lastLine: Int
    public let byteRange: Range<Int>
    public let continuationLines: Int
    /// Year from inference (`--year`, mtime), 0 if none.
    let resolvedYear: Int
    /// The timestamp, with an inferred year when the line had none and one could be inferred.
    public var time: LogTimestamp? {
        guard var t = header.time else { return nil }
        if t.year == nil, resolvedYear != 0 { t.year = resolvedYear; t.yearInferred = true }
        return t
    }
    public let flags: LogEventFlags
    /// The header lives in the reader (no copy of it per event).
    let headerPointer: UnsafePointer<HeaderParse>
    @inline(__always) var header: HeaderParse { unsafeAddress { headerPointer } }

    /// `time` as integers, for code that looks at every event (no optionals, nothing to allocate).
    @inline(__always) public var packedTime: PackedLogTime {
        var fields = header.tsPacked
        var inferred = false
        if fields != 0, (fields >> 42) & 0xFFFF == 0, resolvedYear != 0 {
            fields |= UInt64(resolvedYear & 0xFFFF) << 42
            inferred = true
        }
        return PackedLogTime(fields: fields, nanosecond: header.tsNanos, utcOffset: header.tsOffset, yearInferred: inferred)
    }

    /// debug 0, info 1, warn 2, error 3, no level 4: an index for per-level counters.
    @inline(__always) public var levelIndex: Int { header.level?.rawValue ?? 4 }

    public var level: LogLevel? { header.level }
    public var format: LogFormat { header.format }

    @inline(__always) func slice(_ s: Int, _ e: Int) -> UnsafeRawBufferPointer? {
        s >= 0 && e >= s ? UnsafeRawBufferPointer(rebasing: lineBytes[s..<e]) : nil
    }

    /// Raw source column bytes.
    public var sourceBytes: UnsafeRawBufferPointer? { slice(header.sourceStart, header.sourceEnd) }

    /// Module name bytes: after the last `:` of `host:module`, or after `mod_`.
    public var moduleBytes: UnsafeRawBufferPointer? {
        guard let src = sourceBytes, src.count > 0 else { return nil }
        var k = src.count - 1
        while k > 0 {
            if src[k] == 58 { return k < src.count - 1 ? UnsafeRawBufferPointer(rebasing: src[(k + 1)...]) : nil }
            k -= 1
        }
        if src.count > 4, src[0] == 109, src[1] == 111, src[2] == 100, src[3] == 95 {
            return UnsafeRawBufferPointer(rebasing: src[4...])
        }
        return nil
    }

    public var sourceString: String? { sourceBytes.map { String(decoding: $0, as: UTF8.self) } }
    public var message: String { String(decoding: messageBytes, as: UTF8.self) }

    public func makeEvent() -> LogEvent {
        func str(_ s: Int, _ e: Int) -> String? { slice(s, e).map { String(decoding: $0, as: UTF8.self) } }
        return LogEvent(time: time, source: sourceString.map(LogSource.init), level: level, message: message,
                        lines: firstLine...lastLine, byteRange: byteRange, format: format, flags: flags,
                        machine: str(header.machineStart, header.machineEnd),
                        ident: str(header.identStart, header.identEnd),
                        pid: header.pid >= 0 ? header.pid : nil,
                        container: str(header.containerStart, header.containerEnd))
    }
}

/// Assigns years to timestamps that have none.
struct YearResolver {
    var fixed: Int?
    var reference: (year: Int, month: Int, day: Int)?
    var lastMonth = 0
    var rollovers = 0

    /// The year for a timestamp without one, or 0.
    @inline(__always) mutating func resolve(month: Int, day: Int) -> Int {
        if let fixed {
            if lastMonth != 0, month + 6 <= lastMonth { rollovers += 1 }
            lastMonth = month
            return fixed + rollovers
        } else if let r = reference {
            let later = month > r.month || (month == r.month && day > r.day + 1)
            return later ? r.year - 1 : r.year
        }
        return 0
    }
}

/// Streams Prosody logs: files, pipes/stdin and gzip (by magic bytes), in constant memory.
/// Events are delivered to a callback, in order; see `RawLogEvent` for the lifetime of their bytes.
public final class LogReader: Sendable {
    public let options: LogReaderOptions

    public init(options: LogReaderOptions = LogReaderOptions()) {
        self.options = options
    }

    /// Reads a file, or standard input for `-`. Gzip is recognised by its magic bytes.
    @discardableResult
    public func read(path: String, _ body: (RawLogEvent) throws -> Void) throws -> LogReadSummary {
        if path == "-" { return try read(fileDescriptor: 0, name: "<stdin>", body) }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw LogReadError.cannotOpen(path: path, errno: errno) }
        defer { close(fd) }
        return try read(fileDescriptor: fd, name: path, body)
    }

    /// Reads an open descriptor (not closed here).
    @discardableResult
    public func read(fileDescriptor fd: Int32, name: String, _ body: (RawLogEvent) throws -> Void) throws -> LogReadSummary {
        var st = stat()
        let haveStat = fstat(fd, &st) == 0
        var reference: (Int, Int, Int)? = nil
        if haveStat, options.inferYearFromModificationTime, (st.st_mode & S_IFMT) == S_IFREG {
            var t = time_t(st.st_mtim.tv_sec)
            var tmv = tm()
            localtime_r(&t, &tmv)
            reference = (Int(tmv.tm_year) + 1900, Int(tmv.tm_mon) + 1, Int(tmv.tm_mday))
        }
        return try withoutActuallyEscaping(body) { handler in
            var asm = Assembler(options: options, name: name, reference: reference, handler: handler)
            defer { asm.release() }
            // Read, never mapped: a mapping would count the whole file in the resident set, and a
            // chunk that stays in the CPU cache is scanned faster than pages faulted in from a mapping.
            try asm.scanDescriptor(fd, name: name)
            return try asm.end()
        }
    }

    /// Reads bytes already in memory (gzip recognised too).
    @discardableResult
    public func read(bytes: UnsafeRawBufferPointer, name: String = "<memory>",
                     _ body: (RawLogEvent) throws -> Void) throws -> LogReadSummary {
        try withoutActuallyEscaping(body) { handler in
            var asm = Assembler(options: options, name: name, reference: nil, handler: handler)
            defer { asm.release() }
            if bytes.count >= 2, bytes[0] == 0x1f, bytes[1] == 0x8b {
                var offset = 0
                try asm.scanStream(gzip: true, name: name) { dst, cap in
                    let n = min(cap, bytes.count - offset)
                    if n > 0 { memcpy(dst, bytes.baseAddress! + offset, n) }
                    offset += n
                    return n
                }
            } else {
                try asm.scanWhole(bytes)
            }
            return try asm.end()
        }
    }

    /// Convenience: all events of a text, materialised.
    public static func events(in text: String, options: LogReaderOptions = LogReaderOptions()) -> [LogEvent] {
        var out: [LogEvent] = []
        var copy = text
        copy.withUTF8 { buf in
            _ = try? LogReader(options: options).read(bytes: UnsafeRawBufferPointer(buf)) { out.append($0.makeEvent()) }
        }
        return out
    }

    /// Convenience: all events of a file, materialised (for small files and tests).
    public static func events(atPath path: String, options: LogReaderOptions = LogReaderOptions()) throws -> ([LogEvent], LogReadSummary) {
        var out: [LogEvent] = []
        let summary = try LogReader(options: options).read(path: path) { out.append($0.makeEvent()) }
        return (out, summary)
    }
}

/// The scanning state of one read. A struct used through a local variable, so the hot path pays no
/// dynamic exclusivity checks.
struct Assembler {
    let options: LogReaderOptions
    let handler: (RawLogEvent) throws -> Void
    var parser: LineParser
    var summary: LogReadSummary
    var years: YearResolver
    var levelCounts = (0, 0, 0, 0, 0)
    var formatCounts = [Int](repeating: 0, count: 8)
    var lineNumber = 0
    var longLines = 0, firstLongLine = 0
    /// Offset of the scanned buffer in the input (segments of a parallel scan).
    var byteBase = 0
    var checkBinary = true

    var pending = false
    /// The pending record's header, where events point to it.
    let headerSlot: UnsafeMutablePointer<HeaderParse>
    var pHeader: HeaderParse {
        @inline(__always) get { headerSlot.pointee }
        @inline(__always) nonmutating set { headerSlot.pointee = newValue }
    }
    var pLine: UnsafePointer<UInt8>? = nil
    var pLineLen = 0
    var pFirst = 0, pLast = 0, pStart = 0, pEnd = 0, pConts = 0
    var pFlags: LogEventFlags = []
    var pStripPrefix = false
    var cont: [UInt8] = []
    var scratch: [UInt8] = []
    let headerStore: UnsafeMutablePointer<UInt8>
    var pInStore = false

    init(options: LogReaderOptions, name: String, reference: (Int, Int, Int)?, handler: @escaping (RawLogEvent) throws -> Void) {
        self.options = options
        self.handler = handler
        parser = LineParser(policy: FormatPolicy(mode: options.format))
        summary = LogReadSummary(name: name)
        years = YearResolver(fixed: options.year,
                             reference: options.year == nil ? reference.map { (year: $0.0, month: $0.1, day: $0.2) } : nil)
        headerStore = .allocate(capacity: options.maxLineLength + 16)
        headerSlot = .allocate(capacity: 1)
        headerSlot.initialize(to: HeaderParse())
    }

    func release() {
        headerStore.deallocate()
        headerSlot.deinitialize(count: 1)
        headerSlot.deallocate()
    }

    mutating func end() throws -> LogReadSummary {
        try flushPending()
        summary.lines = lineNumber
        summary.levelCounts = [levelCounts.0, levelCounts.1, levelCounts.2, levelCounts.3, levelCounts.4]
        for f in LogFormat.allCases where formatCounts[f.ordinal] > 0 { summary.formatCounts[f] = formatCounts[f.ordinal] }
        if longLines > 0 {
            summary.issues.append(.longLines(name: summary.name, count: longLines, firstLine: firstLongLine,
                                             limit: options.maxLineLength))
        }
        return summary
    }

    /// True (and an issue recorded) when the first bytes contain NUL: not a text log.
    mutating func looksBinary(_ p: UnsafeRawPointer, _ n: Int) -> Bool {
        guard options.format == .auto, n > 0 else { return false }
        if memchr(p, 0, min(n, 4096)) != nil {
            summary.issues.append(.binaryInput(name: summary.name))
            return true
        }
        return false
    }

    mutating func scanWhole(_ buf: UnsafeRawBufferPointer) throws {
        guard let base = buf.baseAddress, buf.count > 0 else { return }
        if checkBinary, looksBinary(base, buf.count) { return }
        let p = base.assumingMemoryBound(to: UInt8.self)
        let n = buf.count
        var s = (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) ? 3 : 0  // UTF-8 BOM
        summary.bytes = n
        while s < n {
            if let q = memchr(p + s, 10, n - s) {
                let e = UnsafeRawPointer(q) - base
                try line(p + s, e - s, offset: byteBase + s)
                s = e + 1
            } else {
                try line(p + s, n - s, offset: byteBase + s)
                break
            }
        }
    }

    mutating func scanDescriptor(_ fd: Int32, name: String) throws {
        // Peek for gzip magic, then stream.
        let headCap = 64 * 1024
        let head = UnsafeMutableRawPointer.allocate(byteCount: headCap, alignment: 16)
        defer { head.deallocate() }
        var headLen = 0
        while headLen < 2 {
            let r = Glibc.read(fd, head + headLen, headCap - headLen)
            if r < 0 { if errno == EINTR { continue }; throw LogReadError.readFailed(path: name, errno: errno) }
            if r == 0 { break }
            headLen += r
        }
        let isGzip = headLen >= 2 && head.load(as: UInt8.self) == 0x1f && head.load(fromByteOffset: 1, as: UInt8.self) == 0x8b
        var headOffset = 0
        let source: (UnsafeMutableRawPointer, Int) throws -> Int = { dst, cap in
            if headOffset < headLen {
                let n = min(cap, headLen - headOffset)
                memcpy(dst, head + headOffset, n)
                headOffset += n
                return n
            }
            while true {
                let r = Glibc.read(fd, dst, cap)
                if r >= 0 { return r }
                if errno == EINTR { continue }
                throw LogReadError.readFailed(path: name, errno: errno)
            }
        }
        try scanStream(gzip: isGzip, name: name, source: source)
    }

    /// Chunked scanning over a byte source (raw or gzip-compressed).
    mutating func scanStream(gzip: Bool, name: String, source: @escaping (UnsafeMutableRawPointer, Int) throws -> Int) throws {
        var fill = source
        var inflater: Inflater? = nil
        if gzip {
            let inf = Inflater(source: source)
            inflater = inf
            fill = { dst, cap in try inf.read(into: dst, capacity: cap) }
        }
        defer {
            if let inflater {
                if let issue = inflater.issue(name: name) { summary.issues.append(issue) }
                inflater.close()
            }
        }
        let cap = max(options.chunkSize, options.maxLineLength * 2 + 1024)
        let buf = UnsafeMutableRawPointer.allocate(byteCount: cap, alignment: 16)
        defer {
            // The pending record's first line may point into buf: move it out before freeing.
            detachPending()
            buf.deallocate()
        }
        let p = buf.assumingMemoryBound(to: UInt8.self)
        var filled = 0
        var base = byteBase  // input offset of buf[0]
        var skipping = false
        var first = true
        while true {
            let r = try fill(buf + filled, cap - filled)
            let eof = r == 0
            var s = 0
            if first, filled + r > 0 {
                first = false
                if checkBinary, looksBinary(buf, filled + r) { return }
                if filled + r >= 3, p[0] == 0xEF, p[1] == 0xBB, p[2] == 0xBF { s = 3 }
            }
            filled += r
            summary.bytes += r
            while s < filled {
                guard let q = memchr(p + s, 10, filled - s) else { break }
                let e = UnsafeMutableRawPointer(q) - buf
                if skipping { skipping = false } else { try line(p + s, e - s, offset: base + s) }
                s = e + 1
            }
            if eof {
                if s < filled, !skipping { try line(p + s, filled - s, offset: base + s) }
                return
            }
            if skipping {
                s = filled
            } else if filled - s > options.maxLineLength {  // more than the limit and no newline yet: cut
                try line(p + s, filled - s, offset: base + s)  // cut to maxLineLength inside
                skipping = true
                s = filled
            }
            detachPending()
            let rest = filled - s
            if rest > 0 { memmove(buf, buf + s, rest) }
            base += s
            filled = rest
        }
    }

    /// Copies the pending record's first line out of a buffer that is about to be reused.
    mutating func detachPending() {
        guard pending, !pInStore, let src = pLine else { return }
        memcpy(headerStore, src, pLineLen)
        pLine = UnsafePointer(headerStore)
        pInStore = true
    }

    @inline(__always)
    mutating func startPending(_ h: HeaderParse, _ p: UnsafePointer<UInt8>, _ n: Int, _ rawLen: Int, _ offset: Int, _ cut: Bool) {
        pending = true
        pHeader = h
        pLine = p; pLineLen = n; pInStore = false
        pFirst = lineNumber; pLast = lineNumber
        pStart = offset; pEnd = offset + rawLen
        pConts = 0
        pFlags = h.flags
        if cut { pFlags.insert(.truncated) }
        pStripPrefix = h.containerStart >= 0 || h.flags.contains(.quoted) || h.flags.contains(.indented)
    }

    @inline(__always)
    mutating func line(_ p: UnsafePointer<UInt8>, _ rawLen: Int, offset: Int) throws {
        lineNumber += 1
        var n = rawLen
        var cut = false
        if n > options.maxLineLength {
            n = options.maxLineLength
            cut = true
            longLines += 1
            if firstLongLine == 0 { firstLongLine = lineNumber }
        }
        if n > 0, p[n - 1] == 13 { n -= 1 }
        switch parser.parse(p, n) {
        case .header:
            try flushPending()
            startPending(parser.first, p, n, rawLen, offset, cut)
            if !parser.extra.isEmpty {
                for k in 0..<parser.extra.count {
                    try flushPending()
                    startPending(parser.extra[k], p, n, rawLen, offset, cut)
                }
            }
        case .continuation(let contentStart):
            guard pending else {
                // Text with no record before it: an unparsed pseudo-record.
                var h = HeaderParse()
                h.format = .unparsed
                h.flags = [.orphanContinuation, .missingSource, .missingTimestamp]
                h.messageStart = 0; h.messageEnd = n
                startPending(h, p, n, rawLen, offset, cut)
                pStripPrefix = false
                return
            }
            summary.continuationLines += 1
            pLast = lineNumber
            pEnd = offset + rawLen
            pConts += 1
            if cut { pFlags.insert(.truncated) }
            let from = pStripPrefix ? min(contentStart, n) : 0
            if cont.count + (n - from) + 1 <= options.maxEventLength {
                cont.append(10)
                cont.append(contentsOf: UnsafeBufferPointer(start: p + from, count: n - from))
            } else {
                pFlags.insert(.truncated)
            }
        }
    }

    mutating func flushPending() throws {
        guard pending, let lp = pLine else { return }
        pending = false
        var year = 0
        let packed = pHeader.tsPacked
        if packed != 0, (packed >> 42) & 0xFFFF == 0 {
            year = years.resolve(month: Int((packed >> 38) & 15), day: Int((packed >> 33) & 31))
        }
        let lineBuf = UnsafeRawBufferPointer(start: lp, count: pLineLen)
        summary.events += 1
        switch pHeader.level {
        case .debug?: levelCounts.0 += 1
        case .info?: levelCounts.1 += 1
        case .warn?: levelCounts.2 += 1
        case .error?: levelCounts.3 += 1
        case nil: levelCounts.4 += 1
        }
        formatCounts[pHeader.format.ordinal] += 1
        let ms = min(pHeader.messageStart, pLineLen), me = min(max(pHeader.messageEnd, ms), pLineLen)
        if cont.isEmpty {
            let ev = RawLogEvent(lineBytes: lineBuf, messageBytes: UnsafeRawBufferPointer(start: lp + ms, count: me - ms),
                                 firstLine: pFirst, lastLine: pLast, byteRange: pStart..<pEnd,
                                 continuationLines: pConts, resolvedYear: year, flags: pFlags, headerPointer: UnsafePointer(headerSlot))
            try handler(ev)
        } else {
            scratch.removeAll(keepingCapacity: true)
            scratch.append(contentsOf: UnsafeRawBufferPointer(start: lp + ms, count: me - ms))
            scratch.append(contentsOf: cont)
            cont.removeAll(keepingCapacity: true)
            let ev = scratch.withUnsafeBytes { msg in
                RawLogEvent(lineBytes: lineBuf, messageBytes: msg,
                            firstLine: pFirst, lastLine: pLast, byteRange: pStart..<pEnd,
                            continuationLines: pConts, resolvedYear: year, flags: pFlags, headerPointer: UnsafePointer(headerSlot))
            }
            // scratch is not touched until the handler returns.
            try handler(ev)
        }
    }
}

extension LogFormat {
    /// Position in `allCases`, for per-format counters kept in arrays.
    @inline(__always) public var ordinal: Int {
        switch self {
        case .auto: 0
        case .file: 1
        case .console: 2
        case .syslog: 3
        case .journald: 4
        case .docker: 5
        case .fragment: 6
        case .unparsed: 7
        }
    }
}

/// zlib inflate over a byte source; handles concatenated members and reports truncation/corruption.
final class Inflater {
    private var stream = z_stream()
    private let input: UnsafeMutableRawPointer
    private let inputCap = 256 * 1024
    private let source: (UnsafeMutableRawPointer, Int) throws -> Int
    private var inputEOF = false
    private var memberEnded = false
    private var done = false
    private var truncated = false
    private var corrupt: String? = nil
    private var consumedBefore = 0  // compressed bytes of finished members (total_in resets)
    private var producedBefore = 0
    private var open = true

    init(source: @escaping (UnsafeMutableRawPointer, Int) throws -> Int) {
        self.source = source
        input = .allocate(byteCount: inputCap, alignment: 16)
        inflateInit2_(&stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
    }

    func close() {
        if open { inflateEnd(&stream); input.deallocate(); open = false }
    }

    deinit { close() }

    private func refill() throws {
        guard stream.avail_in == 0, !inputEOF else { return }
        let n = try source(input, inputCap)
        if n == 0 { inputEOF = true }
        stream.next_in = input.assumingMemoryBound(to: Bytef.self)
        stream.avail_in = uInt(n)
    }

    func read(into dst: UnsafeMutableRawPointer, capacity: Int) throws -> Int {
        guard !done else { return 0 }
        stream.next_out = dst.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = uInt(capacity)
        while Int(stream.avail_out) == capacity, !done {
            try refill()
            if memberEnded {
                if stream.avail_in == 0 { done = true; break }      // clean end
                if stream.next_in[0] != 0x1f { done = true; break }  // trailing padding: ignore
                consumedBefore += Int(stream.total_in); producedBefore += Int(stream.total_out)
                inflateReset(&stream)
                memberEnded = false
            }
            if stream.avail_in == 0, inputEOF { truncated = true; done = true; break }
            let rc = inflate(&stream, Z_NO_FLUSH)
            if rc == Z_STREAM_END { memberEnded = true }
            else if rc == Z_BUF_ERROR { if inputEOF && stream.avail_in == 0 { truncated = true; done = true } }
            else if rc != Z_OK {
                corrupt = stream.msg.map { String(cString: $0) } ?? "zlib error \(rc)"
                done = true
            }
        }
        return capacity - Int(stream.avail_out)
    }

    func issue(name: String) -> LogReadIssue? {
        let cin = consumedBefore + Int(stream.total_in), cout = producedBefore + Int(stream.total_out)
        if let corrupt { return .corruptGzip(name: name, compressedOffset: cin, uncompressedOffset: cout, message: corrupt) }
        if truncated { return .truncatedGzip(name: name, compressedOffset: cin, uncompressedOffset: cout) }
        return nil
    }
}
