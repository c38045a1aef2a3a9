import Foundation
import ProsodyLog

/// Events per source column, counted on the column's bytes and turned into `LogAnalysis.sources` and
/// `modules` once at the end. Session sources (`c2s55d0c4f0`, one per connection: hundreds of
/// thousands in a day's log) are folded to their kind (`c2s*`) before counting.
final class SourceCounts {
    private let table = ByteKeyTable(capacity: 256)
    private var counts: [Int] = []
    /// `c2s*`, `s2sin*`…, by `SessionKind.ordinal`, in one block (no reference counting per event).
    private let foldedKeys: UnsafeMutablePointer<UInt8>
    private let foldedKeySpans: [(start: Int, count: Int)]

    init(memoBits: Int = 12) {
        memo = HashMemo(bits: memoBits)
        let keys = SessionKind.allCases.sorted { $0.ordinal < $1.ordinal }.map { Array(($0.rawValue + "*").utf8) }
        let all = keys.flatMap { $0 }
        foldedKeys = .allocate(capacity: all.count)
        foldedKeys.initialize(from: all, count: all.count)
        var spans: [(Int, Int)] = []
        var at = 0
        for k in keys { spans.append((at, k.count)); at += k.count }
        foldedKeySpans = spans
    }

    deinit { foldedKeys.deallocate() }

    /// Recent source columns → their entry (a session's lines come close together).
    private let memo: HashMemo

    @inline(__always) func count(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        let n = bytes.count
        let rawHash = hashBytes(base, n)
        if let i = memo.get(hash: rawHash, length: n) {
            counts[Int(i)] += 1
            return
        }
        let i: Int
        if n >= 4, memchr(base, 58, n) == nil, !(base.loadUnaligned(as: UInt32.self) == 0x5F64_6F6D),  // ':' and "mod_"
           let (kind, _) = LogSource.sessionPrefix(bytes) {
            let span = foldedKeySpans[kind.ordinal]
            i = add(foldedKeys + span.start, span.count, 1)
        } else {
            i = add(base, n, 1, hash: rawHash)
        }
        memo.set(hash: rawHash, length: n, value: Int32(i))
    }

    @discardableResult @inline(__always)
    private func add(_ p: UnsafeRawPointer, _ n: Int, _ k: Int, hash: UInt64? = nil) -> Int {
        let h = hash ?? hashBytes(p, n)
        if let i = table.find(p, n, hash: h) {
            counts[i] += k
            return i
        }
        counts.append(k)
        return table.insert(p, n, hash: h)
    }

    /// Adds the counts of a later part of the same input.
    func absorb(_ other: SourceCounts) {
        for i in 0..<other.table.count {
            let key = other.table.key(i)
            add(key.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, key.count, other.counts[i])
        }
    }

    /// Folded sources and modules, in order of first appearance, with at most `limit` distinct names each.
    func fold(into analysis: inout LogAnalysis, limit: Int) {
        for i in 0..<table.count {
            let src = LogSource(String(decoding: table.key(i), as: UTF8.self))
            let folded = src.session.map { $0.kind.rawValue + "*" } ?? src.raw
            let n = counts[i]
            if analysis.sources[folded] != nil || analysis.sources.count < limit {
                analysis.sources[folded, default: 0] += n
            } else {
                analysis.sources["(other)", default: 0] += n
            }
            if let m = src.module, analysis.modules[m] != nil || analysis.modules.count < limit {
                analysis.modules[m, default: 0] += n
            }
        }
    }
}

extension SessionKind {
    var ordinal: Int {
        switch self {
        case .c2s: 0
        case .s2sin: 1
        case .s2sout: 2
        case .component: 3
        case .bosh: 4
        case .admin: 5
        case .connection: 6
        case .server: 7
        case .fdwatch: 8
        case .runner: 9
        case .dnsQuery: 10
        }
    }
}
