import Foundation
import ProsodyLog
import XCTest

/// Streams `data` through a pipe into the reader (the chunked path used for stdin).
func readThroughPipe(_ data: Data, options: LogReaderOptions = LogReaderOptions()) throws -> ([LogEvent], LogReadSummary) {
    let pipe = Pipe()
    let writer = pipe.fileHandleForWriting
    DispatchQueue.global().async {
        writer.write(data)
        try? writer.close()
    }
    var out: [LogEvent] = []
    let summary = try LogReader(options: options).read(fileDescriptor: pipe.fileHandleForReading.fileDescriptor, name: "<pipe>") {
        out.append($0.makeEvent())
    }
    return (out, summary)
}

func gzip(_ data: Data) throws -> Data {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: FileManager.default.fileExists(atPath: "/usr/bin/gzip") ? "/usr/bin/gzip" : "/bin/gzip")
    p.arguments = ["-c", "-n"]
    let input = Pipe(), output = Pipe()
    p.standardInput = input
    p.standardOutput = output
    try p.run()
    DispatchQueue.global().async {
        input.fileHandleForWriting.write(data)
        try? input.fileHandleForWriting.close()
    }
    let result = output.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return result
}

func tempFile(_ data: Data, suffix: String = ".log") throws -> String {
    let path = NSTemporaryDirectory() + "pd-\(getpid())-\(UUID().uuidString)\(suffix)"
    try data.write(to: URL(fileURLWithPath: path))
    return path
}

final class InputTests: XCTestCase {
    var realLog: Data { FileManager.default.contents(atPath: fixture("real-0.12-startup.log"))! }

    func strip(_ evs: [LogEvent]) -> [String] {
        evs.map { "\($0.lines) \($0.byteRange) \($0.level?.name ?? "-") \($0.source?.raw ?? "-") \($0.message)" }
    }

    func testPipeEqualsFileEvenWithTinyChunks() throws {
        let (mapped, _) = try LogReader.events(atPath: fixture("real-0.12-startup.log"))
        var tiny = LogReaderOptions()
        tiny.chunkSize = 512
        tiny.maxLineLength = 300
        tiny.inferYearFromModificationTime = false
        let (piped, summary) = try readThroughPipe(realLog, options: tiny)
        XCTAssertEqual(summary.bytes, realLog.count)
        XCTAssertEqual(strip(piped).count, strip(mapped).count)
        // Lines longer than 300 bytes are cut in `tiny`; compare the rest.
        for (a, b) in zip(piped, mapped) where !a.flags.contains(.truncated) {
            XCTAssertEqual(strip([a]), strip([b]))
        }
    }

    func testGzipFileAndStdin() throws {
        let gz = try gzip(realLog)
        XCTAssertEqual(gz.prefix(2), Data([0x1f, 0x8b]))
        let path = try tempFile(gz, suffix: ".notgz-name")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (plain, _) = try LogReader.events(atPath: fixture("real-0.12-startup.log"))
        let (fromGz, summary) = try LogReader.events(atPath: path)
        XCTAssertEqual(strip(fromGz), strip(plain))
        XCTAssertTrue(summary.issues.isEmpty)
        XCTAssertEqual(summary.bytes, realLog.count)
        let (viaPipe, _) = try readThroughPipe(gz)
        XCTAssertEqual(strip(viaPipe), strip(plain))
        // In memory as well.
        var count = 0
        try gz.withUnsafeBytes { _ = try LogReader().read(bytes: $0) { _ in count += 1 } }
        XCTAssertEqual(count, plain.count)
    }

    func testConcatenatedGzipMembers() throws {
        let a = Data("Nov 29 09:12:56 startup\tinfo\tone\n".utf8), b = Data("Nov 29 09:12:57 startup\tinfo\ttwo\n".utf8)
        let (evs, summary) = try readThroughPipe(try gzip(a) + gzip(b))
        XCTAssertEqual(evs.map(\.message), ["one", "two"])
        XCTAssertTrue(summary.issues.isEmpty)
    }

    func testTruncatedGzip() throws {
        let gz = try gzip(realLog)
        let cut = gz.prefix(gz.count / 2)
        let path = try tempFile(cut)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (evs, summary) = try LogReader.events(atPath: path)
        XCTAssertGreaterThan(evs.count, 5)
        XCTAssertLessThan(evs.count, 89)
        guard case .truncatedGzip(_, let compressed, let uncompressed)? = summary.issues.first else {
            return XCTFail("\(summary.issues)")
        }
        XCTAssertEqual(compressed, cut.count)
        XCTAssertGreaterThan(uncompressed, 1000)
        XCTAssertTrue(summary.issues[0].description.contains("truncated"))
    }

    func testCorruptGzip() throws {
        var gz = try gzip(realLog)
        for i in 40..<80 { gz[i] ^= 0x55 }
        let (_, summary) = try readThroughPipe(gz)
        XCTAssertTrue(summary.issues.contains { if case .corruptGzip = $0 { true } else { false } }, "\(summary.issues)")
    }

    func testBinaryInput() throws {
        var bytes = Data([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0])
        bytes.append(Data(repeating: 0, count: 100))
        let path = try tempFile(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (evs, summary) = try LogReader.events(atPath: path)
        XCTAssertTrue(evs.isEmpty)
        XCTAssertEqual(summary.issues.first, .binaryInput(name: path))
        let (piped, s2) = try readThroughPipe(bytes)
        XCTAssertTrue(piped.isEmpty)
        XCTAssertEqual(s2.issues.count, 1)
    }

    func testInvalidUTF8CRLFAndBOM() {
        var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
        bytes += Array("Nov 29 09:12:56 c2s55d0c4f0\tinfo\tAuthenticated as ".utf8) + [0xff, 0xfe] + Array("@x\r\n".utf8)
        bytes += Array("Nov 29 09:12:57 startup\tinfo\tok\r\n".utf8)
        var evs: [LogEvent] = []
        bytes.withUnsafeBytes { _ = try? LogReader().read(bytes: $0) { evs.append($0.makeEvent()) } }
        XCTAssertEqual(evs.count, 2)
        XCTAssertEqual(evs[0].message, "Authenticated as \u{FFFD}\u{FFFD}@x")
        XCTAssertEqual(evs[1].message, "ok")
        XCTAssertEqual(evs[0].source?.raw, "c2s55d0c4f0")
    }

    func testHugeLinesAreCutWithoutBreakingTheStream() throws {
        var text = "Nov 29 09:12:56 c2s55d0c4f0\tdebug\tReceived[c2s]: <message>"
        text += String(repeating: "x", count: 300_000)
        text += "\nNov 29 09:12:57 startup\tinfo\tafter\n"
        text += String(repeating: "y", count: 200_000) + "\nNov 29 09:12:58 startup\tinfo\tlast"
        var options = LogReaderOptions()
        options.maxLineLength = 4096
        options.chunkSize = 8192
        for (evs, summary) in [try readThroughPipe(Data(text.utf8), options: options),
                               (LogReader.events(in: text, options: options), nil)] {
            XCTAssertEqual(evs.count, 3)
            XCTAssertTrue(evs[0].flags.contains(.truncated))
            XCTAssertLessThanOrEqual(evs[0].message.utf8.count, 4096)
            XCTAssertEqual(evs[1].message.prefix(5), "after")
            XCTAssertEqual(evs[1].lines, 2...3)  // the long "yyy" line is a continuation, cut
            XCTAssertTrue(evs[1].flags.contains(.truncated))
            XCTAssertEqual(evs[2].message, "last")
            XCTAssertEqual(evs[2].lines, 4...4)
            if let summary {
                XCTAssertEqual(summary.lines, 4)
                XCTAssertTrue(summary.issues.contains(.longLines(name: "<pipe>", count: 2, firstLine: 1, limit: 4096)))
            }
        }
    }

    /// With the default limits, a file whose first line is longer than the first read (which is exactly the
    /// line limit) is reported as cut, not silently split.
    func testLongLineOfAFileIsReportedWithDefaultLimits() throws {
        let path = NSTemporaryDirectory() + "pd-long-\(getpid()).log"
        try (String(repeating: "a", count: 200_000) + "\nNov 29 09:12:57 startup\tinfo\tafter\n").write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (events, summary) = try LogReader.events(atPath: path)
        XCTAssertEqual(summary.lines, 2)
        XCTAssertEqual(events.count, 2)
        XCTAssertTrue(events[0].flags.contains(.truncated))
        XCTAssertEqual(events[1].message, "after")
        XCTAssertTrue(summary.issues.contains(.longLines(name: path, count: 1, firstLine: 1, limit: 64 * 1024)), "\(summary.issues)")
    }

    func testManyContinuationLinesAreCapped() throws {
        var text = "Nov 29 09:12:56 general\terror\tTop-level error, please report:\n"
        for i in 0..<20000 { text += "\tframe \(i) in function 'x'\n" }
        text += "Nov 29 09:12:57 startup\tinfo\tnext\n"
        var options = LogReaderOptions()
        options.maxEventLength = 10_000
        options.chunkSize = 4096
        options.maxLineLength = 1024
        let (evs, _) = try readThroughPipe(Data(text.utf8), options: options)
        XCTAssertEqual(evs.count, 2)
        XCTAssertEqual(evs[0].lines, 1...20001)
        XCTAssertTrue(evs[0].flags.contains(.truncated))
        XCTAssertLessThan(evs[0].message.utf8.count, 10_200)
        XCTAssertEqual(evs[1].message, "next")
    }

    func testEmptyAndMissing() throws {
        let path = try tempFile(Data())
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (evs, summary) = try LogReader.events(atPath: path)
        XCTAssertTrue(evs.isEmpty)
        XCTAssertEqual(summary.lines, 0)
        XCTAssertThrowsError(try LogReader.events(atPath: "/nonexistent/prosody.log")) { e in
            XCTAssertTrue("\(e)".contains("/nonexistent/prosody.log"))
        }
    }
}
