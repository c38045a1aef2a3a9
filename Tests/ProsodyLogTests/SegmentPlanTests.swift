@testable import ProsodyLog
import Foundation
import XCTest

/// Parallel reading cuts a file into segments of a fixed size at record starts, so what one segment's
/// reader holds does not grow with the file.
final class SegmentPlanTests: XCTestCase {
    func testSegmentsHaveAFixedSizeAndStartAtRecords() throws {
        var text = ""
        var i = 0
        while text.utf8.count < 3 << 20 {
            text += "Mar 03 06:00:\(String(format: "%02d", i % 60)) c2s55d0c4f0\tdebug\tReceived[c2s]: <iq id='\(i)' type='get'/>\n"
            if i % 50 == 0 { text += "stack traceback:\n\t[C]: in ?\n" }  // continuation lines never start a segment
            i += 1
        }
        let path = NSTemporaryDirectory() + "pd-plan-\(getpid()).log"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        let reader = LogReader()
        let plan = try XCTUnwrap(reader.planSegments(fd: fd, path: path, threads: 2, minimumParallelSize: 0, segmentSize: 64 << 10))
        let bytes = Array(text.utf8)
        XCTAssertEqual(plan.bounds.first, 0)
        XCTAssertEqual(plan.bounds.last, bytes.count)
        XCTAssertGreaterThan(plan.count, bytes.count / (64 << 10) - 2, "segments follow segmentSize, not the file size")
        for k in 1..<plan.count {
            let start = plan.bounds[k]
            XCTAssertEqual(bytes[start - 1], 10, "segment \(k) starts a line")
            XCTAssertEqual(bytes[start], UInt8(ascii: "M"), "segment \(k) starts a record")
            XCTAssertLessThan(plan.bounds[k] - plan.bounds[k - 1], (64 << 10) + 4096)
        }
    }

    /// An error while merging (here: the consumer of the facts fails) ends the read with that error; no
    /// worker is left waiting.
    func testMergeErrorStopsTheReadWithoutHanging() throws {
        struct Full: Error {}
        var text = ""
        for i in 0..<40_000 {
            text += "Mar 03 06:00:00 c2s\(String(i, radix: 16))\tinfo\tAuthenticated as u\(i)@meet.example.com\n"
        }
        let path = NSTemporaryDirectory() + "pd-merge-\(getpid()).log"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let set = try SignatureSet(yaml: "- id: SIG-a\n  fact: a\n  prefix: 'Authenticated as '\n  pattern: '^Authenticated as (?<user>\\S+)'\n")
        var seen = 0
        XCTAssertThrowsError(try LogReader().readFacts(path: path, signatures: set, threads: 2, minimumParallelSize: 0,
                                                       segmentSize: 16 << 10) { _ in
            seen += 1
            if seen == 5000 { throw Full() }
        }) { XCTAssertTrue($0 is Full) }
        XCTAssertEqual(seen, 5000, "nothing is delivered after the error")
    }
}

