@testable import Doctor
import Foundation
import ProsodyLog
import XCTest

/// The fast paths of the log summary give the same results as the plain ones: the template masking
/// that skips clean runs, and the parallel reading of one file in segments.
final class LogSummaryPerformancePathTests: XCTestCase {
    static let corpusLogs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/corpus/logs")

    func fastMask(_ text: String) -> String {
        var copy = text
        return copy.withUTF8 { b -> String in
            let out = UnsafeMutablePointer<UInt8>.allocate(capacity: b.count * LogTemplates.maxExpansion + 8)
            defer { out.deallocate() }
            var w = TemplateWriter(out: out)
            if b.count > 0 { LogTemplates.mask(b.baseAddress!, b.count, into: &w) }
            return String(decoding: UnsafeRawBufferPointer(start: out, count: w.count), as: UTF8.self)
        }
    }

    func testFastMaskingEqualsReferenceOnEdgeCases() {
        let cases = [
            "", "a", "1", "@", "'", "''", "'a'", "x'y", "id='abc'", "don't stop 12", "user@host joined",
            "Received[c2s]: <iq id='a1b2' type='get' to='meet.example.com'>", "k=v1 k2=@x", "a=\"q\" b='",
            "Client disconnected: connection closed", "port 5222:", "v1.2.3.", "'unterminated 12",
            "(\"x\")", "[12:34]", "tab\t9\tend", "émoji 😀 12 @ 'q'", "abcdefgh1", "abcdefghijklmnop@q",
        ]
        for c in cases {
            XCTAssertEqual(fastMask(c), LogTemplates.mask(c), "masking differs for \(c.debugDescription)")
        }
    }

    func testFastMaskingEqualsReferenceOnRandomText() {
        var rng = SplitMix(seed: 7)
        let alphabet = Array("ab Z=@'\"09,;()[]<>:.\t-_é".unicodeScalars)
        for _ in 0..<20_000 {
            let n = Int(rng.next() % 40)
            var s = String.UnicodeScalarView()
            for _ in 0..<n { s.append(alphabet[Int(rng.next() % UInt64(alphabet.count))]) }
            let text = String(s)
            XCTAssertEqual(fastMask(text), LogTemplates.mask(text), "masking differs for \(text.debugDescription)")
        }
    }

    func testFastMaskingEqualsReferenceOnCorpusLogs() throws {
        guard let files = try? FileManager.default.contentsOfDirectory(atPath: Self.corpusLogs.path) else {
            throw XCTSkip("../shared/corpus/logs is absent")
        }
        var lines = 0
        for f in files where f.hasSuffix(".log") {
            let text = try String(contentsOf: Self.corpusLogs.appendingPathComponent(f), encoding: .utf8)
            for line in text.split(separator: "\n") {
                let l = String(line)
                XCTAssertEqual(fastMask(l), LogTemplates.mask(l), "\(f): \(l)")
                lines += 1
            }
        }
        XCTAssertGreaterThan(lines, 1000)
    }

    /// A log bigger than several segments, read on one thread and on three, summarises the same.
    func testParallelAnalysisEqualsSequential() throws {
        var text = ""
        var rng = SplitMix(seed: 42)
        let users = (0..<400).map { "user\($0)@meet.example.com" }
        for i in 0..<30_000 {
            let s = i % 60, m = (i / 60) % 60, h = (i / 3600) % 24
            let ts = String(format: "Mar 03 %02d:%02d:%02d", h, m, s)
            switch rng.next() % 7 {
            case 0: text += "\(ts) c2s\(String(rng.next() % 0xffffff, radix: 16))\tinfo\tAuthenticated as \(users[Int(rng.next() % 400)])\n"
            case 1: text += "\(ts) conference.meet.example.com:token_verification\tdebug\tSession token: nil, session room: nil\n"
                text += "\(ts) conference.meet.example.com:token_verification\tdebug\tWill verify token for user: \(users[Int(rng.next() % 400)])/x, room: r\(i % 9)@conference.meet.example.com\n"
            case 2: text += "\(ts) mod_bosh\tdebug\tRequest \(i) took \(rng.next() % 100) ms\n"
            case 3: text += "\(ts) general\terror\tTraceback[s2s]: /usr/lib/prosody/util/x.lua:\(i % 50): attempt to index a nil value\nstack traceback:\n\t[C]: in ?\n"
            case 4: text += "\(ts) c2s\(String(rng.next() % 0xffff, radix: 16))\tinfo\tFailed authentication attempt (not-authorized) for user \(users[Int(rng.next() % 400)]) from IP: 10.0.0.\(rng.next() % 200)\n"
            default: text += "\(ts) runnerAbC\(i % 10)xyzABCD\tdebug\tid='\(i)' type='get' \(i % 3 == 0 ? "to=\"x\"" : "")\n"
            }
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("parallel-\(UUID().uuidString).log").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }

        func analyse(threads: Int) throws -> LogAnalysis {
            var options = LogAnalysisOptions()
            options.threads = threads
            options.parallelMinimumSize = 0
            options.segmentSize = 64 << 10
            options.keyLimit = 50          // exercises the "(other)" folding across segments
            options.templateLimit = 40
            options.reader = LogReaderOptions(format: .auto, year: nil)
            options.reader.inferYearFromModificationTime = false
            let b = try LogAnalysisBuilder(options: options)
            try b.add(path: path)
            return b.build()
        }
        let one = try analyse(threads: 1), three = try analyse(threads: 3)
        XCTAssertGreaterThan(text.utf8.count, 20 * 64 << 10, "several segments")
        XCTAssertEqual(one.eventCount, three.eventCount)
        XCTAssertEqual(one.lineCount, three.lineCount)
        XCTAssertEqual(one.levelCounts, three.levelCounts)
        XCTAssertEqual(one.formatCounts, three.formatCounts)
        XCTAssertEqual(one.sources, three.sources)
        XCTAssertEqual(one.modules, three.modules)
        XCTAssertEqual(one.firstTime, three.firstTime)
        XCTAssertEqual(one.lastTime, three.lastTime)
        XCTAssertEqual(one.templates.map { "\($0.template) \($0.count) \($0.example.line)" },
                       three.templates.map { "\($0.template) \($0.count) \($0.example.line)" })
        XCTAssertEqual(Set(one.groups.keys), Set(three.groups.keys))
        XCTAssertGreaterThan(one.count("participant-token-nil"), 1000, "carried `Session token: nil` captures")
        for (fact, groups) in one.groups {
            // Including the facts made from a carried capture: no segment starts between a carrier and
            // the line that receives its captures.
            for (key, g) in groups {
                let other = try XCTUnwrap(three.groups[fact]?[key], "\(fact) \(key)")
                XCTAssertEqual(g.count, other.count, "\(fact) \(key)")
                XCTAssertEqual(g.examples.map(\.line), other.examples.map(\.line), "\(fact) \(key)")
                XCTAssertEqual(g.firstTime, other.firstTime)
                XCTAssertEqual(g.lastTime, other.lastTime)
            }
        }
        XCTAssertNotNil(one.groups["authenticated"]?["(other)"], "the key limit was reached")
    }
}

/// A small deterministic generator for test inputs.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
