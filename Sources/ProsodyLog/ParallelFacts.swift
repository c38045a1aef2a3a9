import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Pointers shared with worker threads that touch disjoint parts (result slots).
struct Shared<T>: @unchecked Sendable { let value: T }

/// A regular, uncompressed file cut at record starts so that threads can read its parts with `pread`.
public struct LogSegments: Sendable {
    /// Byte offsets: segment k is `bounds[k]..<bounds[k + 1]`.
    public let bounds: [Int]
    public var count: Int { bounds.count - 1 }
}

extension LogReader {
    /// The file's segments, or nil when it must be read sequentially (stdin, gzip, small files, a fixed
    /// `year`, whose Dec→Jan roll-over needs the whole history).
    /// `carrierModules`: modules whose lines may hand captures to a later line (`carry` signatures). A
    /// segment never starts within `carryReach` lines after one of them, so no carry crosses a border.
    func planSegments(fd: Int32, path: String, threads: Int, minimumParallelSize: Int, segmentSize: Int,
                      carrierModules: [[UInt8]] = [], carryReach: Int = 24) -> LogSegments? {
        guard threads > 1, path != "-", options.year == nil else { return nil }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_size >= minimumParallelSize,
              st.st_size > 0 else { return nil }
        let size = Int(st.st_size)
        let probeCap = 1 << 16
        let probe = UnsafeMutablePointer<UInt8>.allocate(capacity: probeCap)
        defer { probe.deallocate() }
        func readAt(_ offset: Int) -> Int {
            var got = 0
            while got < probeCap, offset + got < size {
                let r = pread(fd, probe + got, probeCap - got, off_t(offset + got))
                if r < 0 { if errno == EINTR { continue }; return -1 }
                if r == 0 { break }
                got += r
            }
            return got
        }
        // gzip and binary input go the sequential way, which reports them.
        let head = readAt(0)
        guard head >= 2, !(probe[0] == 0x1f && probe[1] == 0x8b), memchr(probe, 0, min(head, 4096)) == nil else { return nil }
        // Segment boundaries: the start of a line that begins a record.
        // A fixed size, never a share of the file: what a segment's reader holds (its facts, its partial
        // summary) must not grow with the file.
        let segSize = max(segmentSize, 4096)
        var bounds = [0]
        var parser = LineParser(policy: FormatPolicy(mode: options.format))
        var nominal = segSize
        while nominal < size {
            let got = readAt(nominal)
            guard got > 0 else { break }
            var found = -1
            // Skip the partial line at `nominal`, then look for a header line within the probe (after
            // `carryReach` lines without a carrier, when there are carriers).
            if let q = memchr(probe, 10, got) {
                var pos = UnsafeMutableRawPointer(q) - UnsafeMutableRawPointer(probe) + 1
                var quietLines = carrierModules.isEmpty ? carryReach : 0
                while pos < got {
                    guard let e = memchr(probe + pos, 10, got - pos) else { break }
                    let end = UnsafeMutableRawPointer(e) - UnsafeMutableRawPointer(probe)
                    var n = min(end - pos, options.maxLineLength)
                    if n > 0, probe[pos + n - 1] == 13 { n -= 1 }
                    if case .header = parser.parse(probe + pos, n) {
                        if quietLines >= carryReach { found = nominal + pos; break }
                        let h = parser.first
                        if h.sourceStart >= 0, h.sourceEnd > h.sourceStart,
                           Self.names(probe + pos + h.sourceStart, h.sourceEnd - h.sourceStart, oneOf: carrierModules) {
                            quietLines = -1
                        }
                    }
                    quietLines += 1
                    pos = end + 1
                }
            }
            if found < 0 || found >= size { nominal += segSize; continue }
            if found > bounds.last! { bounds.append(found) }
            nominal = found + segSize
        }
        bounds.append(size)
        return bounds.count > 2 ? LogSegments(bounds: bounds) : nil
    }

    /// Whether a source column (`host:module` or `mod_module`) names one of `modules`.
    static func names(_ p: UnsafePointer<UInt8>, _ n: Int, oneOf modules: [[UInt8]]) -> Bool {
        for m in modules where n >= m.count {
            let tail = p + (n - m.count)
            guard m.withUnsafeBufferPointer({ memcmp(tail, $0.baseAddress!, m.count) == 0 }) else { continue }
            if n == m.count { return true }
            let before = p[n - m.count - 1]
            if before == 58 || (before == 95 && n == m.count + 4 && memcmp(p, "mod_", 4) == 0) { return true }
        }
        return false
    }

    /// The year reference (file modification time) used for timestamps without a year.
    func yearReference(fd: Int32) -> (Int, Int, Int)? {
        var st = stat()
        guard options.inferYearFromModificationTime, fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        var t = time_t(st.st_mtim.tv_sec)
        var tmv = tm()
        localtime_r(&t, &tmv)
        return (Int(tmv.tm_year) + 1900, Int(tmv.tm_mon) + 1, Int(tmv.tm_mday))
    }

    /// Reads bytes `lo..<hi` of a file with `pread` (one segment; line numbers start at 1).
    func readSegment(fd: Int32, path: String, lo: Int, hi: Int, reference: (Int, Int, Int)?,
                     _ body: (RawLogEvent) throws -> Void) throws -> LogReadSummary {
        try withoutActuallyEscaping(body) { handler in
            var asm = Assembler(options: options, name: path, reference: reference, handler: handler)
            asm.byteBase = lo
            asm.checkBinary = false
            defer { asm.release() }
            var offset = lo
            try asm.scanStream(gzip: false, name: path) { dst, cap in
                while true {
                    let want = min(cap, hi - offset)
                    if want <= 0 { return 0 }
                    let r = pread(fd, dst, want, off_t(offset))
                    if r >= 0 { offset += r; return r }
                    if errno == EINTR { continue }
                    throw LogReadError.readFailed(path: path, errno: errno)
                }
            }
            return try asm.end()
        }
    }

    /// Runs `work` on every segment of a large regular file on `threads` worker threads, and hands the
    /// results to `merge` on the calling thread, in file order, with the number of lines before the
    /// segment. Merging overlaps the work on later segments; at most `2 × threads` results wait to be
    /// merged (memory stays flat). Returns nil (and calls nothing) when the file must be read sequentially.
    public func forEachSegment<Partial>(path: String, threads: Int, minimumParallelSize: Int, segmentSize: Int,
                                 carrierModules: [String] = [],
                                 work: @escaping @Sendable (_ read: ((RawLogEvent) throws -> Void) throws -> LogReadSummary) -> Partial,
                                 merge: (_ partial: Partial, _ summary: LogReadSummary, _ linesBefore: Int) throws -> Void) throws -> LogReadSummary? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw LogReadError.cannotOpen(path: path, errno: errno) }
        defer { close(fd) }
        guard let segments = planSegments(fd: fd, path: path, threads: threads,
                                          minimumParallelSize: minimumParallelSize, segmentSize: segmentSize,
                                          carrierModules: carrierModules.map { Array($0.utf8) }) else { return nil }
        let reference = yearReference(fd: fd)
        let bounds = segments.bounds
        let count = segments.count
        let ring = threads * 2
        let slots = UnsafeMutableBufferPointer<(Partial, LogReadSummary)?>.allocate(capacity: ring)
        slots.initialize(repeating: nil)
        defer { slots.deinitialize(); slots.deallocate() }
        let shared = Shared(value: slots)
        let filled = (0..<ring).map { _ in DispatchSemaphore(value: 0) }
        let state = SegmentQueueState()
        let finished = DispatchGroup()
        for _ in 0..<threads {
            finished.enter()
            let worker = Thread {
                while let k = state.take(below: count) {
                    // Slot k % ring is ours once segment k - ring has been merged (not merely taken: a
                    // worker with a later segment must not use the slot first).
                    state.waitUntilMerged(below: k - ring + 1)
                    var summary = LogReadSummary(name: path)
                    let partial = work { body in
                        do {
                            summary = try self.readSegment(fd: fd, path: path, lo: bounds[k], hi: bounds[k + 1],
                                                           reference: reference, body)
                        } catch {
                            state.fail(error)
                        }
                        return summary
                    }
                    shared.value[k % ring] = (partial, summary)
                    filled[k % ring].signal()
                }
                finished.leave()
            }
            worker.stackSize = 1 << 21
            worker.start()
        }
        var total = LogReadSummary(name: path)
        var linesBefore = 0
        var mergeError: Error? = nil
        for k in 0..<count {
            filled[k % ring].wait()
            let result = slots[k % ring]
            slots[k % ring] = nil
            state.merged(k + 1)
            // After an error every segment is still read and taken (simpler than stopping workers that may
            // wait for a slot), but nothing more is merged.
            guard mergeError == nil, state.failure == nil, let (partial, s) = result else { continue }
            do {
                try merge(partial, s, linesBefore)
            } catch {
                mergeError = error
            }
            total.add(s, linesBefore: linesBefore)
            linesBefore += s.lines
        }
        finished.wait()
        if let failure = state.failure { throw failure }
        if let mergeError { throw mergeError }
        return total
    }

    /// Facts of one input, in file order. Large regular files are read on `threads` threads (memory: the
    /// facts of at most 2 × threads segments waiting to be merged); anything else sequentially.
    @discardableResult
    public func readFacts(path: String, signatures: SignatureSet, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                          minimumParallelSize: Int = 16 << 20, segmentSize: Int = 4 << 20,
                          _ body: (LogFact) throws -> Void) throws -> LogReadSummary {
        let parallel = try forEachSegment(
            path: path, threads: threads, minimumParallelSize: minimumParallelSize, segmentSize: segmentSize,
            carrierModules: signatures.carrierModules,
            work: { read -> [LogFact] in
                let ex = FactExtractor(signatures: signatures)
                var facts: [LogFact] = []
                _ = try? read { ex.extract($0) { facts.append($0) } }
                return facts
            },
            merge: { facts, _, linesBefore in
                for var f in facts {
                    f.line += linesBefore; f.lastLine += linesBefore
                    try body(f)
                }
            })
        if let parallel { return parallel }
        let ex = FactExtractor(signatures: signatures)
        return try read(path: path) { try ex.extract($0, body) }
    }
}

extension LogReadSummary {
    /// Adds the counts of a later part of the same input (`linesBefore` lines precede it).
    mutating func add(_ s: LogReadSummary, linesBefore: Int) {
        bytes += s.bytes; lines += s.lines; events += s.events
        continuationLines += s.continuationLines
        for i in 0..<5 { levelCounts[i] += s.levelCounts[i] }
        for (f, c) in s.formatCounts { formatCounts[f, default: 0] += c }
        for issue in s.issues {
            if case .longLines(let n, let c, let first, let limit) = issue {
                if let i = issues.firstIndex(where: { if case .longLines = $0 { true } else { false } }),
                   case .longLines(_, let c0, let f0, _) = issues[i] {
                    issues[i] = .longLines(name: n, count: c0 + c, firstLine: f0, limit: limit)
                } else {
                    issues.append(.longLines(name: n, count: c, firstLine: first + linesBefore, limit: limit))
                }
            } else { issues.append(issue) }
        }
    }
}

/// The next segment to read, how many results were merged, and the first error met: shared by the
/// workers of `forEachSegment` and the merging thread.
private final class SegmentQueueState: @unchecked Sendable {
    private let lock = NSCondition()
    private var next = 0
    private var mergedCount = 0
    private var firstFailure: Error? = nil

    func waitUntilMerged(below n: Int) {
        lock.lock(); defer { lock.unlock() }
        while mergedCount < n { lock.wait() }
    }

    func merged(_ n: Int) {
        lock.lock(); defer { lock.unlock() }
        mergedCount = n
        lock.broadcast()
    }

    /// The next segment index, or nil when all are taken.
    func take(below count: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard next < count else { return nil }
        next += 1
        return next - 1
    }

    func fail(_ error: Error) {
        lock.lock(); defer { lock.unlock() }
        if firstFailure == nil { firstFailure = error }
    }

    var failure: Error? {
        lock.lock(); defer { lock.unlock() }
        return firstFailure
    }
}

