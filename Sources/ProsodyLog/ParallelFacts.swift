import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Pointers shared with worker threads that touch disjoint parts (segments, result slots).
private struct Shared<T>: @unchecked Sendable { let value: T }

extension LogReader {
    /// Facts of one input, in file order. Regular uncompressed files are mapped and cut into segments at
    /// record boundaries, scanned on `threads` threads a wave at a time, and the facts of each wave are
    /// delivered in order (memory: the facts of one wave). Anything else (stdin, gzip, a fixed `year`,
    /// whose Dec→Jan roll-over needs the whole history) is read sequentially.
    @discardableResult
    public func readFacts(path: String, signatures: SignatureSet, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                          minimumParallelSize: Int = 16 << 20, segmentSize: Int = 4 << 20,
                          _ body: (LogFact) throws -> Void) throws -> LogReadSummary {
        func sequential() throws -> LogReadSummary {
            let ex = FactExtractor(signatures: signatures)
            return try read(path: path) { try ex.extract($0, body) }
        }
        guard threads > 1, path != "-", options.year == nil else { return try sequential() }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw LogReadError.cannotOpen(path: path, errno: errno) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_size >= minimumParallelSize else { return try sequential() }
        var magic: (UInt8, UInt8) = (0, 0)
        let got = withUnsafeMutableBytes(of: &magic) { pread(fd, $0.baseAddress, 2, 0) }
        if got == 2 && magic.0 == 0x1f && magic.1 == 0x8b { return try sequential() }
        let size = Int(st.st_size)
        guard let map = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), map != MAP_FAILED else { return try sequential() }
        defer { munmap(map, size) }
        _ = madvise(map, size, MADV_SEQUENTIAL)
        let p = UnsafePointer<UInt8>(map.assumingMemoryBound(to: UInt8.self))
        if memchr(p, 0, min(size, 4096)) != nil, options.format == .auto {
            var s = LogReadSummary(name: path)
            s.issues.append(.binaryInput(name: path))
            return s
        }
        var reference: (Int, Int, Int)? = nil
        if options.inferYearFromModificationTime {
            var t = time_t(st.st_mtim.tv_sec)
            var tmv = tm()
            localtime_r(&t, &tmv)
            reference = (Int(tmv.tm_year) + 1900, Int(tmv.tm_mon) + 1, Int(tmv.tm_mday))
        }

        // Segment boundaries: the start of a line that begins a record.
        let segSize = max(segmentSize, size / (threads * 8))
        var bounds = [0]
        var probe = LineParser(policy: FormatPolicy(mode: options.format))
        var nominal = segSize
        while nominal < size {
            var pos = nominal
            if let q = memchr(p + pos, 10, size - pos) { pos = UnsafeRawPointer(q) - UnsafeRawPointer(p) + 1 } else { break }
            var tries = 0
            while pos < size, tries < 10_000 {
                let e = memchr(p + pos, 10, size - pos).map { UnsafeRawPointer($0) - UnsafeRawPointer(p) } ?? size
                var n = min(e - pos, options.maxLineLength)
                if n > 0, p[pos + n - 1] == 13 { n -= 1 }
                if case .header = probe.parse(p + pos, n) { break }
                pos = e + 1; tries += 1
            }
            if pos >= size { break }
            if pos > bounds.last! { bounds.append(pos) }
            nominal = max(pos, nominal) + segSize
        }
        bounds.append(size)

        var total = LogReadSummary(name: path)
        var linesBefore = 0
        let segments = bounds.count - 1
        var wave = 0
        let options = self.options
        let bnds = bounds
        let ref = reference
        let base = Shared(value: p)
        while wave < segments {
            let count = min(threads, segments - wave)
            let results = UnsafeMutableBufferPointer<([LogFact], LogReadSummary)?>.allocate(capacity: count)
            results.initialize(repeating: nil)
            defer { results.deinitialize(); results.deallocate() }
            let slots = Shared(value: results)
            let first = wave
            DispatchQueue.concurrentPerform(iterations: count) { k in
                let seg = first + k
                let lo = bnds[seg], hi = bnds[seg + 1]
                let p = base.value
                let results = slots.value
                let ex = FactExtractor(signatures: signatures)
                var facts: [LogFact] = []
                var asm = Assembler(options: options, name: path, reference: ref, handler: { ex.extract($0) { facts.append($0) } })
                asm.byteBase = lo
                asm.checkBinary = false
                defer { asm.release() }
                try? asm.scanWhole(UnsafeRawBufferPointer(start: p + lo, count: hi - lo))
                let summary = (try? asm.end()) ?? LogReadSummary(name: path)
                results[k] = (facts, summary)
            }
            for k in 0..<count {
                guard let (facts, s) = results[k] else { continue }
                for var f in facts {
                    f.line += linesBefore; f.lastLine += linesBefore
                    try body(f)
                }
                linesBefore += s.lines
                total.bytes += s.bytes; total.lines += s.lines; total.events += s.events
                total.continuationLines += s.continuationLines
                for i in 0..<5 { total.levelCounts[i] += s.levelCounts[i] }
                for (f, c) in s.formatCounts { total.formatCounts[f, default: 0] += c }
                for issue in s.issues {
                    if case .longLines(let n, let c, let first, let limit) = issue {
                        if let i = total.issues.firstIndex(where: { if case .longLines = $0 { true } else { false } }),
                           case .longLines(_, let c0, let f0, _) = total.issues[i] {
                            total.issues[i] = .longLines(name: n, count: c0 + c, firstLine: f0, limit: limit)
                        } else {
                            total.issues.append(.longLines(name: n, count: c, firstLine: first + linesBefore - s.lines, limit: limit))
                        }
                    } else { total.issues.append(issue) }
                }
            }
            wave += count
        }
        return total
    }
}
