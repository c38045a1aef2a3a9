import Foundation
import ProsodyLog
import XCTest

/// Mutated real lines through every layout: the reader must never trap, and must account for every line.
final class FuzzTests: XCTestCase {
    struct RNG { var s: UInt64; mutating func next() -> UInt64 { s ^= s << 13; s ^= s >> 7; s ^= s << 17; return s } }

    func testMutatedCorpusNeverTraps() throws {
        var seeds: [[UInt8]] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: fixturesDir.path).sorted() {
            let text = try String(contentsOfFile: fixture(name), encoding: .utf8)
            seeds += text.split(separator: "\n").prefix(12).map { Array($0.utf8) }
        }
        let alphabet: [UInt8] = Array("\t >|<[]:0123456789 debuginfowarnerrorJanNovDec-T.Z+\u{1B}m\r".utf8) + [0xff, 0xc3]
        var rng = RNG(s: 0x9E3779B97F4A7C15)
        var bytes: [UInt8] = []
        var lines = 0
        for _ in 0..<6000 {
            var line = seeds[Int(rng.next() % UInt64(seeds.count))]
            for _ in 0..<Int(rng.next() % 4) {
                let pos = line.isEmpty ? 0 : Int(rng.next() % UInt64(line.count))
                switch rng.next() % 4 {
                case 0: if !line.isEmpty { line.remove(at: pos) }
                case 1: line.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: pos)
                case 2: if !line.isEmpty { line[pos] = alphabet[Int(rng.next() % UInt64(alphabet.count))] }
                default: line = Array(line.prefix(pos))
                }
            }
            bytes += line.filter { $0 != 10 } + [10]
            lines += 1
        }
        for format in LogFormat.allCases where format != .unparsed {
            var options = LogReaderOptions(format: format)
            options.maxLineLength = 200
            var counted = 0, events = 0
            let summary = try bytes.withUnsafeBytes { buf in
                try LogReader(options: options).read(bytes: UnsafeRawBufferPointer(rebasing: buf[1...]), name: "fuzz") { ev in
                    counted += ev.lastLine - ev.firstLine + 1
                    events += 1
                    _ = ev.makeEvent()
                }
            }
            XCTAssertEqual(summary.events, events)
            XCTAssertGreaterThan(events, 0, "\(format)")
            // Every line belongs to exactly one event (split events share theirs, so >=).
            XCTAssertGreaterThanOrEqual(counted, summary.lines - 1, "\(format)")
        }
    }
}
